from django.contrib.auth import views as auth_views
from django.urls import include, path

from evaluations.views import discipline, mine, review, visits

app_name = "staff"

urlpatterns = [
    path("", visits.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="evaluations/login.html"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("visits/", visits.visits, name="visits"),
    path("visits/<int:pk>/poster.pdf", visits.visit_poster, name="visit_poster"),
    path("me/visits/", mine.my_visits, name="my_visits"),
    path("me/visits/new/", mine.visit_edit, name="visit_new"),
    path("me/visits/<int:pk>/", mine.my_visit, name="my_visit"),
    path("me/visits/<int:pk>/edit/", mine.visit_edit, name="visit_edit"),
    path("me/card.pdf", mine.my_card, name="my_card"),
    path("review/", review.queue, name="review"),
    path("discipline/", discipline.report, name="discipline"),
    path("review/<int:pk>/", review.decide, name="review_decide"),
    path("", include("evaluations.urls_compliance")),
    path("", include("evaluations.urls_cases")),
    path("", include("evaluations.urls_roster")),
    path("", include("evaluations.urls_appraisal")),
]
