"""URL routes of planning."""

from django.urls import path

from evaluations.planning import views

urlpatterns = [
    path("plans/", views.plans, name="plans"),
    path("plans/<int:pk>/", views.plan_edit, name="plan_edit"),
    path("rota/", views.rota, name="rota"),
]
