"""Public pages: un-namespaced names, so the home page's public sections find them (portal/views/public.py)."""

from django.urls import path

from planning.views import public

urlpatterns = [
    path("plans/", public.plan_list, name="public-plans"),
    path("plans/<uuid:uuid>/", public.plan_detail, name="public-plan-detail"),
    path("plans/documents/<uuid:uuid>/", public.plan_document, name="public-plan-document"),
    path("standards/", public.standard_list, name="public-standards"),
    path("standards/<uuid:uuid>/", public.standard_detail, name="public-standard-detail"),
    path("achievements/", public.achievement_list, name="public-achievements"),
    path("commendations/", public.commendation_list, name="public-commendations"),
]
