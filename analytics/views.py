"""Report pages for personnel departments and cadres, scoped to the viewer's jurisdiction.

The computation modules (pandas, scipy, statsmodels, matplotlib) are imported inside the views:
importing the URL conf must not load them into every web worker (issue 15)."""

import math

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evaluations.models import Cadre, OrgUnit
from evaluations.org.access import READERS, staff_required, year_param
from surveys import exporting, listing


def _year(request) -> int:
    return year_param(request.GET.get("year"), timezone.localdate().year)


def _unit(request) -> OrgUnit | None:
    code = request.GET.get("unit")
    if not code:
        return None
    return get_object_or_404(OrgUnit.objects.visible_to(request.user), code=code)


def _channels(request) -> list[str] | None:
    from analytics import channels

    return channels.chosen(request.GET.getlist("channel"))


def _title(report, user) -> str:
    from analytics import channels

    where = listing.scope_name(user, report.unit)
    title = _("%(where)s %(year)s 年度群众满意度") % {"where": where, "year": report.year}
    return title + channels.described(report.channels)


@staff_required(*READERS)
def dashboard(request):
    from analytics import channels, charts, reports  # pandas, matplotlib: not at start-up

    show = request.GET.get("chart", "all")
    show = show if show in charts.CHART_SHOW else "all"
    report = reports.dashboard(
        request.user,
        year=_year(request),
        unit=_unit(request),
        show=show,
        channels=_channels(request),
    )
    units = OrgUnit.objects.visible_to(request.user).exclude(level__in=["village", "community"])
    return render(
        request,
        "analytics/dashboard.html",
        {
            "report": report,
            "title": _title(report, request.user),
            "units": units[:200],
            "chart_choices": charts.CHART_SHOW,
            "channel_options": channels.options(report.channels),
            "channel_query": channels.query(report.channels),
        },
    )


@staff_required(*READERS)
def export(request, fmt):
    from analytics import channels, exports, reports

    # The PDF prints the dashboard with its charts; CSV and Excel hold the table of scores.
    report = (reports.dashboard if fmt == "pdf" else reports.scores)(
        request.user, year=_year(request), unit=_unit(request), channels=_channels(request)
    )
    title = _title(report, request.user)
    style = exporting.style(request.GET.get("columns"))
    if fmt == "csv":
        response = HttpResponse(
            exports.scores_csv(report.rows, style=style), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        response = HttpResponse(
            exports.scores_xlsx(report.rows, title=title, style=style),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(_pdf(report, title), content_type="application/pdf")
    scope = listing.scope_name(request.user, report.unit)
    return exporting.attach(
        response,
        exporting.file_name(
            _("满意度得分"), scope, report.year, channels.named(report.channels), ext=fmt
        ),
    )


def _pdf(report, title) -> bytes:
    import base64

    from analytics import exports

    pngs = [base64.b64decode(uri.split(",", 1)[1]) for uri in report.charts.values()]
    subtitle = ngettext(
        "评价 %(n)s 条；克朗巴赫 α = %(alpha)s",
        "评价 %(n)s 条；克朗巴赫 α = %(alpha)s",
        report.n_responses,
    ) % {
        "n": report.n_responses,
        # Too few complete ratings for a covariance: a dash, never "nan".
        "alpha": "—" if math.isnan(report.alpha) else f"{report.alpha:.2f}",
    }
    return exports.report_pdf(
        title=title,
        subtitle=subtitle,
        header=exports.score_header(),
        cells=exports.score_cells(report.rows),
        chart_pngs=pngs,
    )


@staff_required(*READERS, "cadre")
def cadre_report(request, pk):
    cadre = get_object_or_404(Cadre.objects.visible_to(request.user).select_related("unit"), pk=pk)
    return _cadre_page(request, cadre)


def _cadre_page(request, cadre):
    from analytics import channels, reports  # pandas and matplotlib: not at start-up

    # The rated cadre reads his report whole: a channel's slice would show which comments the
    # elderly wrote on paper or said to a helper, and slices that differ by two ratings would
    # give those two residents' answers (the outside attack on issue 19).
    own = cadre.pk == getattr(getattr(request.user, "cadre", None), "pk", None)
    picked = None if own else _channels(request)
    # His own figures as of the day's start: reloaded after one sheet is typed in, the page
    # would give that sheet's answers (the second outside attack); a day's ratings move together.
    before = _day_start() if own else None
    report = reports.cadre_report(
        request.user, cadre=cadre, year=_year(request), channels=picked, before=before
    )
    context = {"cadre": cadre, "report": report, "as_of": before}
    context["channel_options"] = None if own else channels.options(picked)
    return render(request, "analytics/cadre.html", context)


def _day_start():
    import datetime as dt

    today = timezone.localdate()
    return timezone.make_aware(dt.datetime.combine(today, dt.time.min))


@staff_required()
def my_report(request):
    cadre = getattr(request.user, "cadre", None)
    if cadre is None:
        raise PermissionDenied(_("只有登记为干部的账号可以使用此页面。"))
    return _cadre_page(request, cadre)
