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


def _superusers_only(request) -> bool:
    # The admin reads and writes every jurisdiction; staff use the staff pages (issue 14 §4).
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superusers_only

admin.site.site_header = "民评 管理后台"
admin.site.site_title = "民评"
