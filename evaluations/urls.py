"""Staff pages, one URL conf per feature package, all in the `staff` namespace."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from surveys.assisted.views import SignInView

app_name = "staff"

FEATURES = (
    "todo",
    "visits",
    "review",
    "discipline",
    "quota",
    "cases",
    "roster",
    "contacts",
    "appraisal",
    "questionnaires",
    "planning",
    "paper",
)

urlpatterns = [
    path(
        "login/",
        SignInView.as_view(template_name="evaluations/login.html"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    *(path("", include(f"evaluations.{feature}.urls")) for feature in FEATURES),
]
