"""URL routes of the roster import and contact-point pages."""

from django.urls import path

from evaluations.views import contacts, roster

urlpatterns = [
    path("roster/template.xlsx", roster.roster_template_download, name="roster_template"),
    path("roster/import/", roster.roster_import, name="roster_import"),
    path("contacts/", contacts.coverage, name="contacts"),
    path("contacts/new/", contacts.establish, name="contact_new"),
    path("contacts/<int:pk>/change/", contacts.change, name="contact_change"),
]
