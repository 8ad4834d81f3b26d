"""URL route of 定期报送."""

from django.urls import path

from analytics.periodic import views

urlpatterns = [path("summary/", views.summary, name="summary")]
