"""URL routes of the 纪检监察 page."""

from django.urls import path

from evaluations.discipline import views

urlpatterns = [
    path("discipline/", views.report, name="discipline"),
]
