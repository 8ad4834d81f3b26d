"""URL routes of the review queue of flagged responses."""

from django.urls import path

from evaluations.review import views

urlpatterns = [
    path("review/", views.queue, name="review"),
    path("review/<int:pk>/", views.decide, name="review_decide"),
    path("review/cluster/", views.decide_cluster, name="review_decide_cluster"),
]
