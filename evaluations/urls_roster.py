"""URL routes of the roster pages."""

urlpatterns: list = []
