from django.urls import include, path
from rest_framework.routers import DefaultRouter

from projects import api

router = DefaultRouter()
router.register("filings", api.FilingViewSet, basename="project-filing")
router.register("qualifications", api.QualificationViewSet, basename="project-qualification")
router.register("findings", api.FindingViewSet, basename="project-finding")
router.register("network-applications", api.NetworkApplicationViewSet, basename="network-application")
router.register("domain-applications", api.DomainApplicationViewSet, basename="domain-application")
router.register("private-networks", api.PrivateNetworkViewSet, basename="private-network")
router.register("connected-systems", api.ConnectedSystemViewSet, basename="connected-system")
router.register("websites", api.WebsiteViewSet, basename="website")

urlpatterns = [path("", include(router.urls))]
