"""Quota compliance pages: a unit's table for staff, a cadre's own progress for the year."""

import io

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations.models import Cadre, OrgUnit
from evaluations.org.access import READERS, staff_required
from evaluations.quota import compliance
from evaluations.quota import exports as compliance_export
from surveys import exporting, listing

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Units a compliance table is read for: where cadres, rotas and 专题研究 meetings belong.
SCOPE_LEVELS = ["province", "city", "county", "township", "organ"]


class ScopeForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100)
    unit = forms.ChoiceField(label=gettext_lazy("单位"), required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is None:  # a cadre's own page: the year only
            del self.fields["unit"]
        else:
            self.fields["unit"].choices = [
                ("", _("本辖区全部")),
                *((u.code, u.name) for u in units),
            ]


def _scope(request, *, with_units=True):
    """(year, unit or None, form): a unit outside the jurisdiction is no choice (form error)."""
    initial = {"year": timezone.localdate().year}
    units = OrgUnit.objects.visible_to(request.user).filter(level__in=SCOPE_LEVELS)
    form = ScopeForm(request.GET or None, initial=initial, units=units if with_units else None)
    form.is_valid()  # keeps the valid fields in cleaned_data; an unknown unit is an error shown
    data = {**initial, **getattr(form, "cleaned_data", {})}
    unit = None
    if data.get("unit"):
        unit = get_object_or_404(OrgUnit.objects.visible_to(request.user), code=data["unit"])
    return data["year"], unit, form


def _unit_report(request):
    year, unit, form = _scope(request)
    report = compliance.scope_report(
        cadres=Cadre.objects.visible_to(request.user),
        units=OrgUnit.objects.visible_to(request.user),
        year=year,
        unit=unit,
        as_of=timezone.localdate(),
    )
    return report, unit, form


@staff_required("cadre", *READERS)
def unit_compliance(request):
    report, unit, form = _unit_report(request)
    columns, table = compliance_export.matrix(report)
    context = {"report": report, "unit": unit, "form": form, "columns": columns, "table": table}
    return render(request, "evaluations/compliance_units.html", context)


@staff_required("cadre", *READERS)
def compliance_download(request, fmt):
    report, unit, _form = _unit_report(request)
    scope = listing.scope_name(request.user, unit)
    name = exporting.file_name(_("指标达标"), scope, report.year, ext=fmt)
    style = exporting.style(request.GET.get("columns"))
    if fmt == "csv":
        out = io.StringIO()
        compliance_export.write_csv(out, report, style=style)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        content = compliance_export.xlsx_bytes(report, style=style)
        response = HttpResponse(content, content_type=XLSX)
    else:
        raise Http404
    return exporting.attach(response, name)


@staff_required()
def my_quota(request):
    cadre = getattr(request.user, "cadre", None)
    if cadre is None:
        raise PermissionDenied(_("只有登记为干部的账号可以使用此页面。"))
    year, _unit, form = _scope(request, with_units=False)
    report = compliance.evaluate(
        cadres=Cadre.objects.visible_to(request.user).filter(pk=cadre.pk),
        year=year,
        as_of=timezone.localdate(),
    )
    mine = report.cadres[0] if report.cadres else None
    return render(
        request, "evaluations/my_quota.html", {"report": report, "mine": mine, "form": form}
    )
