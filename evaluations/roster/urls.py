"""URL routes of the roster import (花名册导入)."""

from django.urls import path

from evaluations.roster import views

urlpatterns = [
    path("roster/template.xlsx", views.roster_template_download, name="roster_template"),
    path("roster/import/", views.roster_import, name="roster_import"),
]
