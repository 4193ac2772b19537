from django.urls import path

from resources.views import disclosure as views

app_name = "disclosure"

urlpatterns = [
    path("", views.index, name="index"),
    path("catalog/", views.catalog_search, name="catalog"),
    path("agencies/<uuid:uuid>/", views.agency_detail, name="agency"),
    path("agencies/<uuid:uuid>/guide/versions/", views.guide_versions, name="guide-versions"),
    path("agencies/<uuid:uuid>/guide/edit/", views.guide_edit, name="guide-edit"),
    path("agencies/<uuid:uuid>/catalog/new/", views.catalog_entry_create, name="catalog-entry-create"),
    path("agencies/<uuid:uuid>/catalog/<path:index_number>/", views.catalog_entry, name="catalog-entry"),
    path("apply/", views.apply, name="apply"),
    path("track/", views.track, name="track"),
    path("track/letter/", views.track_letter, name="track-letter"),
    path("track/correction/", views.track_correction, name="track-correction"),
    path("enterprises/", views.enterprises, name="enterprises"),
    path("enterprises/<uuid:uuid>/", views.enterprise_detail, name="enterprise"),
    path("enterprises/<uuid:uuid>/edit/", views.enterprise_edit, name="enterprise-edit"),
    path("enterprises/<uuid:uuid>/remind/", views.enterprise_remind, name="enterprise-remind"),
    path("reports/", views.reports, name="reports"),
    path("reports/manage/", views.report_manage, name="report-manage"),
    path("reports/<uuid:uuid>/", views.report_detail, name="report"),
    path("reports/<uuid:uuid>/pdf/", views.report_pdf, name="report-pdf"),
    path("applications/", views.application_list, name="application-list"),
    path("applications/new/", views.application_record, name="application-record"),
    path("applications/<uuid:uuid>/", views.application_detail, name="application-detail"),
    path("applications/<uuid:uuid>/letter/", views.application_letter, name="application-letter"),
    path("applications/<uuid:uuid>/<str:action>/", views.application_action, name="application-action"),
    path("supervision/", views.supervision, name="supervision"),
]
