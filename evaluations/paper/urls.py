"""URL routes of paper questionnaires: printing, double entry and the third look."""

from django.urls import path

from evaluations.paper import views

urlpatterns = [
    path("visits/<int:pk>/paper/", views.paper, name="visit_paper"),
    path("visits/<int:pk>/paper/print/", views.print_sheets, name="visit_paper_print"),
    path(
        "visits/<int:pk>/paper/batches/<int:batch>/sheets.pdf",
        views.sheets_pdf,
        name="visit_paper_pdf",
    ),
    path("visits/<int:pk>/paper/enter/", views.enter, name="visit_paper_enter"),
    path(
        "visits/<int:pk>/paper/sheets/<int:sheet>/resolve/",
        views.resolve,
        name="visit_paper_resolve",
    ),
    path("paper/disagreements/", views.disagreements, name="paper_disagreements"),
]
