"""Pages of the annual assessment: cycle settings, runs with progress, the table, decisions."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from analytics import channels
from analytics.assessment import runs, selectors
from analytics.assessment.models import AssessmentRun
from analytics.assessment.tasks import start_assessment
from evaluations.cycles import services as cycles
from evaluations.models import AssessmentCycle, Grade, OrgUnit
from evaluations.org.access import staff_required, year_param
from evaluations.org.jurisdiction import has_role
from surveys import exporting

MANAGERS = ("personnel", "admin")


class CycleForm(forms.ModelForm):
    class Meta:
        model = AssessmentCycle
        fields = [
            "weight_satisfaction",
            "weight_appraisal",
            "weight_compliance",
            "weight_cases",
            "band_excellent",
            "band_competent",
            "band_basic",
            "team_grade",
            "principal_excellent",
        ]


def _cycle(request, pk):
    return get_object_or_404(
        AssessmentCycle.objects.visible_to(request.user).select_related("unit"), pk=pk
    )


def _manager(request):
    if not has_role(request.user, *MANAGERS):
        raise PermissionDenied(_("只有组织人事部门可以操作年度考核。"))


@staff_required(*MANAGERS)
def cycles_list(request):
    if request.method == "POST":
        _manager(request)
        unit = get_object_or_404(
            OrgUnit.objects.visible_to(request.user), code=request.POST.get("unit")
        )
        year = year_param(request.POST.get("year"), timezone.localdate().year)
        cycle = cycles.create_cycle(unit=unit, year=year)
        return redirect("reports:cycle", pk=cycle.pk)
    return render(
        request,
        "analytics/cycles.html",
        {
            "cycles": AssessmentCycle.objects.visible_to(request.user)
            .select_related("unit")
            .order_by("-year"),
            "units": OrgUnit.objects.visible_to(request.user).exclude(
                level__in=["village", "community"]
            ),
            "this_year": timezone.localdate().year,
        },
    )


@staff_required(*MANAGERS)
def cycle_detail(request, pk):
    cycle = _cycle(request, pk)
    form = CycleForm(request.POST or None, instance=cycle)
    if request.method == "POST":
        _manager(request)
        if form.is_valid():
            form.save()
            messages.success(request, _("考核设置已保存（修改记录可追溯）。"))
            return redirect("reports:cycle", pk=cycle.pk)
    runs.expire_stale(cycle=cycle)
    picked = _channels(request)
    table = selectors.cycle_table(cycle, channels=picked)
    selectors.keep_draft(table, request.session.pop(DRAFT, None))
    context = {"cycle": cycle, "form": form, "table": table, "grades": Grade.choices}
    context.update(_channel_context(picked))
    return render(request, "analytics/cycle.html", context)


def _channels(request) -> list[str] | None:
    return channels.chosen(request.GET.getlist("channel"))


def _channel_context(picked) -> dict:
    return {
        "channel_options": channels.options(picked),
        "channel_query": channels.query(picked).lstrip("&"),
        "listed": channels.listed(picked),
    }


@staff_required(*MANAGERS)
@require_POST
def cycle_run(request, pk):
    cycle = _cycle(request, pk)
    _manager(request)
    run = start_assessment(cycle)
    return redirect("reports:run", pk=run.pk)


@staff_required(*MANAGERS)
def run_progress(request, pk):
    run = get_object_or_404(
        AssessmentRun.objects.filter(cycle__in=AssessmentCycle.objects.visible_to(request.user)),
        pk=pk,
    )
    if runs.expire_stale(cycle=run.cycle):
        run.refresh_from_db()
    return render(request, "analytics/run.html", {"run": run})


@staff_required(*MANAGERS)
@require_POST
def cycle_decide(request, pk, cadre_pk):
    cycle = _cycle(request, pk)
    _manager(request)
    if cadre_pk == getattr(getattr(request.user, "cadre", None), "pk", None):
        raise PermissionDenied(_("不能评定自己的等次。"))
    row = selectors.latest_result(cycle, cadre_pk)
    if row is None:
        raise PermissionDenied(_("请先计算本年度考核。"))
    try:
        cycles.decide(
            cycle=cycle,
            cadre=row.cadre,
            grade=request.POST.get("grade", ""),
            reason=request.POST.get("reason", ""),
            suggested_grade=row.suggested_grade,
            suggested_score=row.composite,
            user=request.user,
        )
    except cycles.DecisionError as error:
        messages.error(request, _("%(name)s：%(error)s") % {"name": row.cadre.name, "error": error})
        # What was chosen and typed comes back in the row, not the suggestion (nothing lost).
        request.session[DRAFT] = {
            "cadre": cadre_pk,
            "grade": request.POST.get("grade", ""),
            "reason": request.POST.get("reason", "")[:500],
        }
    else:
        messages.success(request, _("%(name)s 的等次已评定。") % {"name": row.cadre.name})
    return _back_to_row(cycle, cadre_pk)


DRAFT = "assessment_decision_draft"


def _back_to_row(cycle, cadre_pk):
    """The table again, scrolled to the row just decided (issue 17 §7)."""
    return redirect(f"{reverse('reports:cycle', args=[cycle.pk])}#cadre-{cadre_pk}")


def _picked(request) -> list[int]:
    return [int(v) for v in request.POST.getlist("cadre") if v.isdigit()]


@staff_required(*MANAGERS)
@require_POST
def cycle_confirm(request, pk):
    """按建议评定 for the selected rows (or every undecided row): a confirmation page first."""
    cycle = _cycle(request, pk)
    _manager(request)
    everyone = request.POST.get("all") == "1"
    results = list(
        selectors.to_confirm(request.user, cycle, None if everyone else _picked(request))
    )
    if not results:
        messages.error(request, _("请先勾选要按建议评定的干部。"))
        return redirect("reports:cycle", pk=cycle.pk)
    if request.POST.get("confirmed") != "1":
        return render(request, "analytics/confirm.html", {"cycle": cycle, "results": results})
    try:
        count = cycles.confirm_suggestions(
            cycle=cycle,
            results=[(r.cadre, r.suggested_grade, r.composite) for r in results],
            user=request.user,
        )
    except cycles.DecisionError as error:
        messages.error(request, str(error))
    else:
        graded = ngettext(
            "已按建议评定 %(n)s 名干部的等次。", "已按建议评定 %(n)s 名干部的等次。", count
        )
        messages.success(request, graded % {"n": count})
    return redirect("reports:cycle", pk=cycle.pk)


@staff_required(*MANAGERS)
def cadre_sheet(request, pk, cadre_pk):
    cycle = _cycle(request, pk)
    sheet = selectors.cadre_sheet(request.user, cycle, cadre_pk)
    return render(request, "analytics/sheet.html", {"cycle": cycle, "sheet": sheet})


@staff_required(*MANAGERS)
def cycle_export(request, pk, fmt):
    from django.http import HttpResponse

    from analytics.assessment import exports as assessment_exports

    cycle = _cycle(request, pk)
    picked = _channels(request)
    table = selectors.cycle_table(cycle, channels=picked)
    if fmt == "xlsx":
        style = exporting.style(request.GET.get("columns"))
        content = assessment_exports.table_xlsx(cycle, table, style=style)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content, kind = assessment_exports.table_pdf(cycle, table), "application/pdf"
    response = HttpResponse(content, content_type=kind)
    listed = channels.listed(picked).strip("（）")
    name = exporting.file_name(_("年度考核"), cycle.unit.name, cycle.year, listed, ext=fmt)
    return exporting.attach(response, name)
