"""URL routes of paper questionnaires: printing, double entry and the third look."""

from django.urls import path

from evaluations.paper import views

urlpatterns = [
    path("visits/<int:pk>/paper/", views.paper, name="paper"),
    path("visits/<int:pk>/paper/print/", views.print_sheets, name="paper_print"),
    path(
        "visits/<int:pk>/paper/batches/<int:batch>/sheets.pdf",
        views.sheets_pdf,
        name="paper_pdf",
    ),
    path("visits/<int:pk>/paper/enter/", views.enter, name="paper_enter"),
    path("visits/<int:pk>/paper/sheets/<int:sheet>/resolve/", views.resolve, name="paper_resolve"),
    path("paper/disagreements/", views.disagreements, name="paper_disagreements"),
]
