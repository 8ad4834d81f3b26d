from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="staff:home", permanent=False)),
    path("", include("surveys.urls")),
    path("staff/reports/", include("analytics.urls")),
    path("staff/", include("evaluations.urls")),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
]

handler400 = "surveys.handlers.bad_request"

admin.site.site_header = "民评 管理后台"
admin.site.site_title = "民评"
