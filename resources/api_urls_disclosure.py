from django.urls import include, path
from rest_framework.routers import DefaultRouter

from resources import api_disclosure as api

router = DefaultRouter()
router.register("guides", api.GuideViewSet, basename="disclosure-guide")
router.register("catalog", api.CatalogViewSet, basename="disclosure-catalog")
router.register("applications", api.ApplicationViewSet, basename="disclosure-application")

urlpatterns = [
    path("track/", api.TrackView.as_view(), name="disclosure-track-api"),
    path("", include(router.urls)),
]
