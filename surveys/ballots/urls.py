"""URL routes of the voter's side of a ballot box."""

from django.urls import path

from surveys.ballots import views

urlpatterns = [
    path("b/", views.ballot_entry, name="ballot_entry"),
    path("b/receipt/", views.receipt_check, name="receipt"),
    path("b/<str:code>/", views.ballot_link, name="ballot"),
]
