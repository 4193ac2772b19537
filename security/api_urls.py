from django.urls import include, path
from rest_framework.routers import DefaultRouter

from security import api

router = DefaultRouter()
router.register("systems", api.SystemViewSet, basename="security-system")
router.register("gradings", api.GradingViewSet, basename="security-grading")
router.register("evaluations", api.EvaluationViewSet, basename="security-evaluation")
router.register("incidents", api.IncidentViewSet, basename="security-incident")
router.register("bulletins", api.BulletinViewSet, basename="security-bulletin")

urlpatterns = [path("", include(router.urls))]
