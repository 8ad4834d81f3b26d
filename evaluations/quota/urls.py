"""URL routes of the compliance pages."""

from django.urls import path

from evaluations.quota import assignments, meetings
from evaluations.quota import views as compliance

urlpatterns = [
    path("compliance/", compliance.unit_compliance, name="compliance"),
    path(
        "compliance/download.<str:fmt>",
        compliance.compliance_download,
        name="compliance_download",
    ),
    path("me/quota/", compliance.my_quota, name="my_quota"),
    path("meetings/", meetings.meetings, name="meetings"),
    path("meetings/<int:pk>/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/delete/", meetings.meeting_delete, name="meeting_delete"),
    path("rulesets/", assignments.assignments, name="rulesets"),
    path("rulesets/assignments/<int:pk>/", assignments.assignment_edit, name="ruleset_edit"),
]
