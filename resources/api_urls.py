from django.urls import include, path
from rest_framework.routers import DefaultRouter

from resources.api import catalog, sharing

router = DefaultRouter()
router.register("catalog", catalog.CatalogViewSet, basename="resource-catalog")
router.register("open-catalog", catalog.OpenCatalogViewSet, basename="resource-open-catalog")
router.register("sharing-requests", sharing.SharingRequestViewSet, basename="sharing-request")
router.register("grants", sharing.GrantViewSet, basename="sharing-grant")

urlpatterns = [path("", include(router.urls))]
