from django.urls import path, re_path

from analytics import assessment_views as assessment
from analytics import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    re_path(r"^scores\.(?P<fmt>csv|xlsx|pdf)$", views.export, name="export"),
    path("cadres/<int:pk>/", views.cadre_report, name="cadre"),
    path("me/", views.my_report, name="mine"),
    path("summary/", views.summary, name="summary"),
    path("assessment/", assessment.cycles_list, name="cycles"),
    path("assessment/<int:pk>/", assessment.cycle_detail, name="cycle"),
    path("assessment/<int:pk>/run/", assessment.cycle_run, name="cycle_run"),
    path("assessment/<int:pk>/cadres/<int:cadre_pk>/", assessment.cadre_sheet, name="cycle_sheet"),
    path(
        "assessment/<int:pk>/cadres/<int:cadre_pk>/decide/",
        assessment.cycle_decide,
        name="cycle_decide",
    ),
    re_path(
        r"^assessment/(?P<pk>\d+)/table\.(?P<fmt>xlsx|pdf)$",
        assessment.cycle_export,
        name="cycle_export",
    ),
    path("runs/<int:pk>/", assessment.run_progress, name="run"),
]
