"""URL routes of the appraisal pages."""

from django.urls import path

from evaluations.appraisal import views as appraisal

urlpatterns = [
    path("appraisal/", appraisal.session_list, name="appraisal_list"),
    path("appraisal/new/", appraisal.session_edit, name="appraisal_new"),
    path("appraisal/<int:pk>/", appraisal.session_detail, name="appraisal_detail"),
    path("appraisal/<int:pk>/edit/", appraisal.session_edit, name="appraisal_edit"),
    path("appraisal/<int:pk>/turnout/", appraisal.turnout, name="appraisal_turnout"),
    path("appraisal/<int:pk>/codes/", appraisal.issue_codes, name="appraisal_issue"),
    path("appraisal/<int:pk>/void/", appraisal.void_codes, name="appraisal_void"),
    path(
        "appraisal/<int:pk>/open/",
        appraisal.transition,
        {"action": "open"},
        name="appraisal_open",
    ),
    path(
        "appraisal/<int:pk>/close/",
        appraisal.transition,
        {"action": "close"},
        name="appraisal_close",
    ),
    path("appraisal/<int:pk>/results/", appraisal.results, name="appraisal_results"),
    path(
        "appraisal/<int:pk>/results.xlsx",
        appraisal.export,
        {"fmt": "xlsx"},
        name="appraisal_xlsx",
    ),
    path("appraisal/<int:pk>/results.pdf", appraisal.export, {"fmt": "pdf"}, name="appraisal_pdf"),
]
