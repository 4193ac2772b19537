from django.urls import path

from resources.views import catalog, public, sharing

app_name = "resources"

urlpatterns = [
    path("catalog/", catalog.resource_list, name="resource-list"),
    path("catalog/new/", catalog.resource_new, name="resource-new"),
    path("catalog/import/", catalog.resource_import, name="resource-import"),
    path("catalog/import/<str:task_id>/", catalog.resource_import_status, name="resource-import-status"),
    path("catalog/stale/", catalog.stale_list, name="stale-list"),
    path("catalog/duplicates/", catalog.duplicate_list, name="duplicate-list"),
    path("catalog/<uuid:uuid>/", catalog.resource_detail, name="resource-detail"),
    path("catalog/<uuid:uuid>/edit/", catalog.resource_edit, name="resource-edit"),
    path("catalog/<uuid:uuid>/act/<slug:action>/", catalog.resource_action, name="resource-action"),
    path("catalog/<uuid:uuid>/request/", sharing.sharing_new, name="sharing-new"),
    path("sharing/", sharing.sharing_list, name="sharing-list"),
    path("sharing/<uuid:uuid>/", sharing.sharing_detail, name="sharing-detail"),
    path("sharing/<uuid:uuid>/act/<slug:action>/", sharing.sharing_action, name="sharing-action"),
    path("grants/<uuid:uuid>/revoke/", sharing.grant_revoke, name="grant-revoke"),
    path("open/", public.open_catalog, name="open-catalog"),
    path("open/catalog.jsonld", public.open_catalog_dcat, name="open-catalog-dcat"),
    path("open/<uuid:uuid>/", public.open_resource, name="open-resource"),
]
