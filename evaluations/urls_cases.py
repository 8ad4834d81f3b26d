"""URL routes of the cases pages."""

urlpatterns: list = []
