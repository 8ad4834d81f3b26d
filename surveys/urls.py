from django.urls import include, path

from surveys import views
from surveys.assisted import views as assisted

app_name = "surveys"

urlpatterns = [
    path("r/<str:token>/", views.rate, name="rate"),
    path("r/<str:token>/assist/", assisted.assist, name="assist"),
    path("r/<str:token>/thanks/", views.thanks, name="thanks"),
    path("r/<str:token>/qr.png", views.qr_png, name="qr_png"),
    path("r/<str:token>/qr.svg", views.qr_svg, name="qr_svg"),
    path("r/say/<int:version_id>/<str:language>/<slug:key>.mp3", views.say, name="say"),
    path("", include("surveys.ballots.urls")),
]
