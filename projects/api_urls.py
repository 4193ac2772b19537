from django.urls import include, path
from rest_framework.routers import DefaultRouter

from projects.api import filings, plans, registers

router = DefaultRouter()
router.register("filings", filings.FilingViewSet, basename="project-filing")
router.register("annual-plans", plans.AnnualPlanViewSet, basename="annual-plan")
router.register("annual-plan-items", plans.AnnualPlanItemViewSet, basename="annual-plan-item")
router.register("qualifications", registers.QualificationViewSet, basename="project-qualification")
router.register("findings", registers.FindingViewSet, basename="project-finding")
router.register("network-applications", registers.NetworkApplicationViewSet, basename="network-application")
router.register("domain-applications", registers.DomainApplicationViewSet, basename="domain-application")
router.register("private-networks", registers.PrivateNetworkViewSet, basename="private-network")
router.register("connected-systems", registers.ConnectedSystemViewSet, basename="connected-system")
router.register("websites", registers.WebsiteViewSet, basename="website")

urlpatterns = [path("", include(router.urls))]
