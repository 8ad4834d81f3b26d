"""URL routes of the compliance pages."""

urlpatterns: list = []
