"""URL routes of the cases pages."""

from django.urls import path

from evaluations.cases import views as cases

urlpatterns = [
    path("cases/", cases.ledger, name="cases"),
    path("cases/overdue/", cases.overdue, name="cases_overdue"),
    path("cases/new/", cases.raise_case, name="case_new"),
    path("cases/metrics/", cases.metrics, name="case_metrics"),
    path("cases/<int:pk>/", cases.detail, name="case_detail"),
    path("cases/<int:pk>/<slug:action>/", cases.act, name="case_action"),
]
