from django.urls import include, path, re_path

from analytics import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    re_path(r"^scores\.(?P<fmt>csv|xlsx|pdf)$", views.export, name="export"),
    path("cadres/<int:pk>/", views.cadre_report, name="cadre"),
    path("me/", views.my_report, name="mine"),
    path("", include("analytics.periodic.urls")),
    path("", include("analytics.assessment.urls")),
]
