"""URL routes of the contact-point pages (联系点)."""

from django.urls import path

from evaluations.contacts import views

urlpatterns = [
    path("contacts/", views.coverage, name="contacts"),
    path("contacts/new/", views.establish, name="contact_new"),
    path("contacts/<int:pk>/change/", views.change, name="contact_change"),
]
