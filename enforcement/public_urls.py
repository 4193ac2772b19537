"""Public pages (no login): published penalty decisions and evaluation results. Names are not namespaced:
the home page links to ``public-penalties`` when it exists."""

from django.urls import path

from enforcement import views

urlpatterns = [
    path("penalties/", views.public_penalties, name="public-penalties"),
    path("penalties/<uuid:uuid>/", views.public_penalty_detail, name="public-penalty-detail"),
    path("evaluations/", views.public_evaluations, name="public-evaluations"),
]
