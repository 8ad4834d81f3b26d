"""URL routes of the questionnaire pages."""

from django.urls import path

from evaluations.questionnaires import views

urlpatterns = [
    path("questionnaires/", views.questionnaires, name="questionnaires"),
    path("questionnaires/versions/<int:pk>/", views.version, name="questionnaire_version"),
    path(
        "questionnaires/versions/<int:pk>/publish/",
        views.publish,
        name="questionnaire_publish",
    ),
    path(
        "questionnaires/versions/<int:pk>/preview/",
        views.preview,
        name="questionnaire_preview",
    ),
]
