"""定期报送 page, workbook and PDF (000 (八)) for a unit of the viewer's jurisdiction."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from evaluations.models import OrgUnit
from evaluations.org.access import READERS, staff_required, year_param
from evaluations.org.periods import PeriodForm, report_units
from surveys import exporting

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@staff_required(*READERS)
def summary(request):
    from analytics import channels  # pandas: never at web-worker start-up
    from analytics.periodic import selectors

    year = year_param(request.GET.get("year"), timezone.localdate().year)  # no year: 404
    units = OrgUnit.objects.visible_to(request.user)
    form = PeriodForm(request.GET.dict() | {"year": year}, units=units, year=year)
    context = {"form": form, "period_units": report_units(request.user)}
    if not form.is_valid():
        return render(request, "analytics/summary.html", context, status=400)
    unit, year, period, _start, _end = form.scope()
    picked = channels.chosen(request.GET.getlist("channel"))
    context["channel_options"] = channels.options(picked)
    report = selectors.periodic_report(
        request.user, unit=unit, year=year, period=period, channels=picked
    )
    title = _("%(unit)s %(year)s 年%(period)s干部下基层情况定期报送") % {
        "unit": unit.name,
        "year": year,
        "period": report.label,
    }
    fmt = request.GET.get("format")
    if fmt in ("xlsx", "pdf"):
        return _download(request, report, title, fmt)
    context.update(report=report, title=title, channels_named=channels.described(picked))
    query = {"unit": unit.code, "year": year, "period": period, "channel": picked or []}
    context["query"] = urlencode(query, doseq=True)
    return render(request, "analytics/summary.html", context)


def _download(request, report, title, fmt):
    from analytics import channels
    from analytics.periodic import exports

    if fmt == "xlsx":
        style = request.GET.get("columns", "zh")
        style = style if style in exporting.STYLES else "zh"
        body = exports.workbook(report, title=title, style=style)
        response = HttpResponse(body, content_type=XLSX)
    else:
        subtitle = _("报送期 %(start)s 至 %(end)s；生成于 %(today)s") % {
            "start": report.start,
            "end": report.end,
            "today": timezone.localdate(),
        }
        response = HttpResponse(
            exports.pdf(report, title=title, subtitle=subtitle), content_type="application/pdf"
        )
    name = exporting.file_name(
        _("定期报送"),
        report.unit.name,
        report.year,
        report.label,
        channels.named(report.channels),
        ext=fmt,
    )
    return exporting.attach(response, name)
