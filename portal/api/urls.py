from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from portal.api.auth import TokenObtainView
from portal.api.calendar import WorkingDaysView
from portal.api.deadlines import DeadlineViewSet, NotificationViewSet
from portal.api.subjects import AttachmentDownloadView
from portal.api.views import OrganizationViewSet

router = DefaultRouter()
# "api-" prefix: the page URLs already own the names organization-list and organization-detail.
router.register("organizations", OrganizationViewSet, basename="api-organization")
router.register("deadlines", DeadlineViewSet, basename="api-deadline")
router.register("notifications", NotificationViewSet, basename="api-notification")

urlpatterns = [
    path("auth/token/", TokenObtainView.as_view(), name="api-token"),
    path("attachments/<uuid:id>/", AttachmentDownloadView.as_view(), name="api-attachment"),
    path("calendar/working-days/", WorkingDaysView.as_view(), name="api-working-days"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: an inline one is refused by the CSP.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("", include(router.urls)),
]
