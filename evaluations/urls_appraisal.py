"""URL routes of the appraisal pages."""

urlpatterns: list = []
