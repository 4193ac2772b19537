from django.urls import path

from security import views

app_name = "security"

urlpatterns = [
    path("systems/", views.system_list, name="system-list"),
    path("systems/overview/", views.system_overview, name="system-overview"),
    path("systems/new/", views.system_new, name="system-new"),
    path("systems/<uuid:uuid>/", views.system_detail, name="system-detail"),
    path("systems/<uuid:uuid>/grade/", views.grading_new, name="grading-new"),
    path("systems/<uuid:uuid>/evaluations/new/", views.evaluation_new, name="evaluation-new"),
    path("gradings/", views.grading_list, name="grading-list"),
    path("gradings/<uuid:uuid>/", views.grading_detail, name="grading-detail"),
    path("gradings/<uuid:uuid>/act/<slug:action>/", views.grading_action, name="grading-action"),
    path("gradings/<uuid:uuid>/certificate.pdf", views.grading_certificate, name="grading-certificate"),
    path("evaluations/due/", views.evaluation_due, name="evaluation-due"),
    path("incidents/", views.incident_list, name="incident-list"),
    path("incidents/new/", views.incident_new, name="incident-new"),
    path("incidents/<uuid:uuid>/", views.incident_detail, name="incident-detail"),
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/new/", views.plan_new, name="plan-new"),
    path("plans/<uuid:uuid>/", views.plan_detail, name="plan-detail"),
    path("bulletins/", views.bulletin_list, name="bulletin-list"),
    path("bulletins/new/", views.bulletin_new, name="bulletin-new"),
    path("bulletins/<uuid:uuid>/", views.bulletin_detail, name="bulletin-detail"),
]
