from django.urls import path

from projects.views import filings, registers

app_name = "projects"

urlpatterns = [
    path("filings/", filings.filing_list, name="filing-list"),
    path("filings/new/", filings.filing_new, name="filing-new"),
    path("filings/<uuid:uuid>/", filings.filing_detail, name="filing-detail"),
    path("filings/<uuid:uuid>/edit/<slug:step>/", filings.filing_edit, name="filing-edit"),
    path("filings/<uuid:uuid>/act/<slug:action>/", filings.filing_action, name="filing-action"),
    path("filings/<uuid:uuid>/checklist/", filings.filing_checklist_save, name="filing-checklist"),
    path("filings/<uuid:uuid>/documents/", filings.filing_document_upload, name="filing-document"),
    path("filings/<uuid:uuid>/contractors/", filings.filing_contractor_assign, name="filing-contractor"),
    path("filings/<uuid:uuid>/comments/", filings.filing_comment, name="filing-comment"),
    path("filings/<uuid:uuid>/opinion.pdf", filings.filing_opinion_pdf, name="filing-opinion-pdf"),
    path("opinions/", filings.opinion_list, name="opinion-list"),
    path("qualifications/", registers.qualification_list, name="qualification-list"),
    path("qualifications/<uuid:uuid>/verify/", registers.qualification_verify, name="qualification-verify"),
    path("registers/systems/<uuid:uuid>/connect/", registers.connected_system_connect, name="connected-system-connect"),
    path(
        "filings/<uuid:uuid>/acceptance/<uuid:record>/attendance/",
        filings.filing_attendance_confirm,
        name="filing-attendance",
    ),
    path("plans/", registers.plan_list, name="plan-list"),
    path("plans/<uuid:uuid>/", registers.plan_detail, name="plan-detail"),
    path("applications/<slug:kind>/", registers.application_list, name="application-list"),
    path("applications/<slug:kind>/new/", registers.application_new, name="application-new"),
    path("applications/<slug:kind>/<uuid:uuid>/", registers.application_detail, name="application-detail"),
    path(
        "applications/<slug:kind>/<uuid:uuid>/<slug:action>/",
        registers.application_action,
        name="application-action",
    ),
    path("registers/", registers.register_list, name="register-list"),
    path("private-networks/", registers.private_network_list, name="private-network-list"),
    path(
        "private-networks/<uuid:uuid>/<slug:action>/", registers.private_network_action, name="private-network-action"
    ),
]
