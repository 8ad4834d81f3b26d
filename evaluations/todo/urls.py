"""URL route of the workbench home (the to-do page)."""

from django.urls import path

from evaluations.todo import views

urlpatterns = [
    path("", views.home, name="home"),
]
