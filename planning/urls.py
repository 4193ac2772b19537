"""Staff pages of plans, standards, training records and recognition (namespace "planning")."""

from django.urls import path

from planning.views import management, plans, recognition, standards

app_name = "planning"

urlpatterns = [
    path("plans/", plans.plan_list, name="plan-list"),
    path("plans/<uuid:uuid>/", plans.plan_detail, name="plan-detail"),
    path("plans/<uuid:uuid>/versions/", plans.plan_version_add, name="plan-version-add"),
    path("plans/<uuid:uuid>/act/<slug:action>/", plans.plan_action, name="plan-action"),
    path("standards/", standards.standard_manage, name="standard-manage"),
    path("standards/<uuid:uuid>/withdraw/", standards.standard_withdraw, name="standard-withdraw"),
    path("training/", management.development_list, name="development-list"),
    path("training/compliance/", management.development_compliance, name="development-compliance"),
    path("recognition/", recognition.recognition_manage, name="recognition-manage"),
    path("recognition/<slug:kind>/<uuid:uuid>/publish/", recognition.recognition_publish, name="recognition-publish"),
]
