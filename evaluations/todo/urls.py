"""URL routes of the workbench home (the to-do page) and the reminder inbox."""

from django.urls import path

from evaluations.todo import views

urlpatterns = [
    path("", views.home, name="home"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_read, name="inbox_read"),
]
