from django.urls import path

from surveys import ballot_views, views

app_name = "surveys"

urlpatterns = [
    path("r/<str:token>/", views.rate, name="rate"),
    path("r/<str:token>/qr.png", views.qr_png, name="qr_png"),
    path("r/<str:token>/qr.svg", views.qr_svg, name="qr_svg"),
    path("b/", ballot_views.ballot_entry, name="ballot_entry"),
    path("b/<str:code>/", ballot_views.ballot_link, name="ballot"),
]
