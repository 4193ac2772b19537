from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from portal import health
from portal.views import attachments, dashboard, organizations, public

urlpatterns = [
    path("", public.home, name="home"),
    path("regulation/", public.regulation, name="regulation"),
    path("healthz", health.healthz, name="healthz"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("organizations/", organizations.organization_list, name="organization-list"),
    path("organizations/<uuid:uuid>/", organizations.organization_detail, name="organization-detail"),
    path("organizations/<uuid:uuid>/edit/", organizations.organization_edit, name="organization-edit"),
    path(
        "organizations/<uuid:uuid>/attachments/",
        organizations.organization_attachment_create,
        name="organization-attachment-create",
    ),
    path("attachments/<uuid:uuid>/", attachments.attachment_download, name="attachment-download"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("deadlines/", include("portal.views.deadlines")),
    path("notifications/", include("portal.views.notifications")),
    path("api/v1/projects/", include("projects.api_urls")),
    path("projects/", include("projects.urls")),
    path("api/v1/resources/", include("resources.api_urls")),
    path("resources/", include("resources.urls")),
    path("api/v1/", include("portal.api.urls")),
    path("admin/", admin.site.urls),
]
