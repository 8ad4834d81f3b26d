"""URL routes of the annual assessment: cycles, runs with progress, the table, decisions."""

from django.urls import path, re_path

from analytics.assessment import caps, views

urlpatterns = [
    path("assessment/", views.cycles_list, name="cycles"),
    path("assessment/<int:pk>/", views.cycle_detail, name="cycle"),
    path("assessment/<int:pk>/run/", views.cycle_run, name="cycle_run"),
    path("assessment/<int:pk>/caps/", caps.cycle_caps, name="cycle_caps"),
    path("assessment/<int:pk>/history/", caps.cycle_history, name="cycle_history"),
    path("assessment/<int:pk>/cadres/<int:cadre_pk>/", views.cadre_sheet, name="cycle_sheet"),
    path(
        "assessment/<int:pk>/cadres/<int:cadre_pk>/decide/",
        views.cycle_decide,
        name="cycle_decide",
    ),
    path("assessment/<int:pk>/confirm/", views.cycle_confirm, name="cycle_confirm"),
    re_path(
        r"^assessment/(?P<pk>\d+)/table\.(?P<fmt>xlsx|pdf)$",
        views.cycle_export,
        name="cycle_export",
    ),
    path("runs/<int:pk>/", views.run_progress, name="run"),
]
