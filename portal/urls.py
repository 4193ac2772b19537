from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from portal import health
from portal.views import accounts, attachments, dashboard, organizations, public
from resources.views import disclosure as disclosure_views

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
    path("accounts/login/", accounts.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/password/reset/", accounts.PasswordResetRequestView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("deadlines/", include("portal.views.deadlines")),
    path("notifications/", include("portal.views.notifications")),
    path("api/v1/projects/", include("projects.api_urls")),
    path("projects/", include("projects.urls")),
    path("api/v1/disclosure/", include("resources.api_urls_disclosure")),
    path("disclosure/", include("resources.urls_disclosure")),
    path("disclosure/", disclosure_views.index, name="public-disclosure"),
    path("disclosure/enterprises/", disclosure_views.enterprises, name="public-enterprises"),
    path("captcha/", include("captcha.urls")),
    path("accounts/2fa/", include("portal.views.twofactor")),
    path("security/audit/", include("portal.views.audit")),
    path("api/v1/security/", include("security.api_urls")),
    path("security/", include("security.urls")),
    path("api/v1/portal/", include("planning.api_urls")),
    path("planning/", include("planning.urls")),
    path("api/v1/enforcement/", include("enforcement.api_urls")),
    path("enforcement/", include("enforcement.urls")),
    path("public/", include("enforcement.public_urls")),
    path("api/v1/resources/", include("resources.api_urls")),
    path("resources/", include("resources.urls")),
    path("api/v1/", include("portal.api.urls")),
    path("admin/", admin.site.urls),
    path("", include("planning.public_urls")),
]

handler400 = "portal.views.errors.bad_request"
handler403 = "portal.views.errors.permission_denied"
handler404 = "portal.views.errors.page_not_found"
handler500 = "portal.views.errors.server_error"
