from django.urls import path

from enforcement import views

app_name = "enforcement"

urlpatterns = [
    path("", views.enforcement_dashboard, name="dashboard"),
    path("findings/", views.finding_list, name="finding-list"),
    path("findings/<uuid:uuid>/", views.finding_detail, name="finding-detail"),
    path("findings/<uuid:uuid>/act/<slug:action>/", views.finding_action, name="finding-action"),
    path("cases/", views.case_list, name="case-list"),
    path("cases/credit.csv", views.credit_export, name="credit-export"),
    path("cases/<uuid:uuid>/", views.case_detail, name="case-detail"),
    path("cases/<uuid:uuid>/act/<slug:action>/", views.case_action, name="case-action"),
    path("cases/<uuid:uuid>/evidence/", views.case_evidence, name="case-evidence"),
    path("cases/<uuid:uuid>/notice.pdf", views.case_notice_pdf, name="case-notice-pdf"),
    path("cases/<uuid:uuid>/decision.pdf", views.case_decision_pdf, name="case-decision-pdf"),
    path("inspections/", views.inspection_list, name="inspection-list"),
    path("evaluations/", views.evaluation_manage, name="evaluations"),
]
