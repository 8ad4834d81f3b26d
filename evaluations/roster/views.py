"""Roster import pages (花名册导入): the template download and the upload. Personnel or admin
only; the rows must lie inside the uploader's jurisdiction (the importer checks each row)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from evaluations.models import OrgUnit
from evaluations.org.access import staff_required
from evaluations.org.jurisdiction import has_role
from evaluations.roster.forms import RosterUploadForm

IMPORTERS = ("personnel", "admin")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _jurisdiction(request) -> OrgUnit | None:
    """The root of the uploader's subtree (None: a superuser, everywhere)."""
    if not has_role(request.user, *IMPORTERS):
        raise PermissionDenied(_("只有组织人事部门或管理员可以导入花名册。"))
    if request.user.is_superuser:
        return None
    profile = getattr(request.user, "staff_profile", None)
    if profile is None:
        raise PermissionDenied(_("您的账号没有所属单位，不能导入花名册。"))
    return profile.unit


@staff_required(*IMPORTERS)
def roster_template_download(request):
    from evaluations.roster import template as roster_template  # openpyxl: when asked for

    _jurisdiction(request)
    response = HttpResponse(roster_template.template_bytes(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="roster-template.xlsx"'
    return response


@staff_required(*IMPORTERS)
def roster_import(request):
    within = _jurisdiction(request)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        from evaluations.roster import services as roster  # openpyxl: when a file comes in

        result = roster.import_roster(
            form.cleaned_data["file"], within=within, dry_run=form.cleaned_data["dry_run"]
        )
    context = {"form": form, "result": result, "within": within}
    status = 400 if result is not None and not result.ok else 200
    return render(request, "evaluations/roster_import.html", context, status=status)
