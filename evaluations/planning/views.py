"""Planning pages: research plans against the days done, and the reception rota weeks ahead
with its gaps. The organisation department (or the 县委办, as admin) plans; readers look; a cadre
sees his own plan."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.models import Cadre, OrgUnit, ResearchPlan, RotaSlot
from evaluations.org import history
from evaluations.org.access import MANAGERS, READERS, staff_required, year_param
from evaluations.org.jurisdiction import has_role
from evaluations.planning import selectors, services
from evaluations.planning.forms import PlanForm, RotaForm

ROTA_LEVELS = ["city", "county"]  # 001 §一: 市、县(区) keep a weekly reception rota


def _manager(request):
    if not has_role(request.user, *MANAGERS):
        raise PermissionDenied(_("只有组织人事部门或县委办可以安排计划和轮值。"))


@staff_required("cadre", *READERS)
def plans(request):
    year = year_param(request.GET.get("year"), timezone.localdate().year)
    cadres = Cadre.objects.visible_to(request.user).filter(is_active=True).order_by("code")
    form = PlanForm(request.POST or None, cadres=cadres, initial={"year": year})
    if request.method == "POST":
        _manager(request)
        if form.is_valid():
            services.save_plan(plan=form.save(commit=False), actor=request.user)
            messages.success(request, _("调研计划已保存。"))
            return redirect(f"{request.path}?year={form.cleaned_data['year']}")
    context = {
        "year": year,
        "rows": selectors.plans_for(request.user, year=year),
        "form": form,
        "manager": has_role(request.user, *MANAGERS),
        "today": timezone.localdate(),
        "quarter_ends": [end for _start, end in selectors.quarters(year)],
    }
    return render(request, "evaluations/planning/plans.html", context)


@staff_required(*MANAGERS)
def plan_edit(request, pk):
    plan = get_object_or_404(ResearchPlan.objects.visible_to(request.user), pk=pk)
    cadres = Cadre.objects.visible_to(request.user).filter(is_active=True).order_by("code")
    form = PlanForm(request.POST or None, instance=plan, cadres=cadres)
    if request.method == "POST" and form.is_valid():
        services.save_plan(plan=form.save(commit=False), actor=request.user)
        messages.success(request, _("调研计划已保存。"))
        return redirect(f"{reverse('staff:plans')}?year={plan.year}")
    changes = history.entries(ResearchPlan.history.filter(id=plan.pk), title=("topic",))
    context = {"form": form, "plan": plan, "history": changes}
    return render(request, "evaluations/planning/plan_edit.html", context)


@staff_required(*READERS)
def rota(request):
    units = OrgUnit.objects.visible_to(request.user).filter(level__in=ROTA_LEVELS).order_by("path")
    unit = units.filter(code=request.GET.get("unit")).first() or units.first()
    if unit is None:
        return render(request, "evaluations/planning/rota.html", {"units": units})
    today = timezone.localdate()
    weeks = selectors.coming_weeks(unit=unit, today=today)
    form = RotaForm(request.POST or None, unit=unit, weeks=weeks)
    if request.method == "POST":
        _manager(request)
        if form.is_valid():
            try:
                services.schedule(
                    unit=unit,
                    week=dt.date.fromisoformat(form.cleaned_data["week"]),
                    cadre=form.cleaned_data["cadre"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                    today=today,
                )
            except services.PlanningError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("接访轮值已更新。"))
                return redirect(f"{request.path}?unit={unit.code}")
    context = {
        "units": units,
        "unit": unit,
        "weeks": weeks,
        "gaps": sum(w.gap for w in weeks),
        "horizon": len(weeks),
        "form": form,
        "manager": has_role(request.user, *MANAGERS),
        "history": history.entries(
            RotaSlot.history.filter(unit_id=unit.pk), title=("week", "cadre"), limit=50
        ),
    }
    return render(request, "evaluations/planning/rota.html", context)
