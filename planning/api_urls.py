from django.urls import include, path
from rest_framework.routers import DefaultRouter

from planning import api

router = DefaultRouter()
router.register("plans", api.PlanViewSet, basename="api-plan")
router.register("standards", api.StandardViewSet, basename="api-standard")

urlpatterns = [path("", include(router.urls))]
