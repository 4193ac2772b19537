from django.urls import include, path
from rest_framework.routers import DefaultRouter

from enforcement import api

router = DefaultRouter()
router.register("findings", api.FindingViewSet, basename="enforcement-finding")
router.register("cases", api.CaseViewSet, basename="enforcement-case")
router.register("decisions", api.DecisionViewSet, basename="enforcement-decision")

urlpatterns = [path("", include(router.urls))]
