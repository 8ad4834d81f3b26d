from django.contrib.auth import views as auth_views
from django.urls import path

from evaluations import views

app_name = "staff"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/", auth_views.LoginView.as_view(template_name="evaluations/login.html"), name="login"
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("visits/", views.visits, name="visits"),
    path("visits/<int:pk>/poster.pdf", views.visit_poster, name="visit_poster"),
]
