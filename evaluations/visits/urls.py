"""URL routes of the visits list and a cadre's own pages."""

from django.urls import path

from evaluations.visits import views

urlpatterns = [
    path("visits/", views.visits, name="visits"),
    path("visits/diaries/", views.diary_picks, name="diary_picks"),
    path("visits/new/", views.visit_on_behalf, name="visit_on_behalf"),
    path("visits/<int:pk>/poster.pdf", views.visit_poster, name="visit_poster"),
    path("me/visits/", views.my_visits, name="my_visits"),
    path("me/visits/new/", views.visit_edit, name="visit_new"),
    path("me/visits/<int:pk>/", views.my_visit, name="my_visit"),
    path("me/visits/<int:pk>/edit/", views.visit_edit, name="visit_edit"),
    path("me/card.pdf", views.my_card, name="my_card"),
]
