"""URL routes of the 纪检监察 page."""

from django.urls import path

from evaluations.discipline import views

urlpatterns = [
    path("discipline/", views.report, name="discipline"),
    path("discipline/visits/<int:pk>/review/", views.review_long_run, name="review_long_run"),
]
