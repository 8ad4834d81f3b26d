"""Which policy rule set governs a unit subtree for which years (SPEC §3: quotas differ by
province and change with time), set on a staff page instead of the admin: the department
assigns rule sets to units of its own subtree; each change is kept with who made it."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations.models import OrgUnit, PolicyRuleSet, RuleSetAssignment, ruleset_for
from evaluations.org import history
from evaluations.org.access import MANAGERS, READERS, YEARS, staff_required
from evaluations.org.jurisdiction import has_role
from evaluations.quota.views import SCOPE_LEVELS


class AssignmentForm(forms.ModelForm):
    class Meta:
        model = RuleSetAssignment
        fields = ["ruleset", "unit", "first_year", "last_year"]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        for name in ("first_year", "last_year"):
            bounds = [MinValueValidator(YEARS.start), MaxValueValidator(YEARS.stop - 1)]
            self.fields[name].validators.extend(bounds)
            self.fields[name].widget.attrs.update(min=YEARS.start, max=YEARS.stop - 1)

    def clean(self):
        data = super().clean()
        first, last, unit = data.get("first_year"), data.get("last_year"), data.get("unit")
        if first and last and last < first:
            raise forms.ValidationError(_("截止年度不能早于起始年度。"))
        if first and unit and self._overlapping(unit, first, last).exists():
            raise forms.ValidationError(
                _("该单位在这些年度已有适用的规则集，请先修改原有的适用范围。")
            )
        return data

    def _overlapping(self, unit, first, last):
        """Two assignments of one unit for a common year would leave the rule ambiguous."""
        others = RuleSetAssignment.objects.filter(unit=unit).exclude(pk=self.instance.pk)
        ends_after = Q(last_year__isnull=True) | Q(last_year__gte=first)
        others = others.filter(ends_after)
        return others.filter(first_year__lte=last) if last else others


def _units(request):
    return OrgUnit.objects.visible_to(request.user).filter(level__in=SCOPE_LEVELS).order_by("path")


@staff_required(*READERS)
def assignments(request):
    units = _units(request)
    form = AssignmentForm(request.POST or None, units=units)
    if request.method == "POST":
        if not has_role(request.user, *MANAGERS):
            raise PermissionDenied(_("只有组织人事部门可以设置规则集的适用范围。"))
        if form.is_valid():
            form.save()
            messages.success(request, _("规则集适用范围已保存（修改记录可追溯）。"))
            return redirect("staff:rulesets")
    rows = RuleSetAssignment.objects.filter(unit__in=units).select_related("unit", "ruleset")
    year = timezone.localdate().year
    own = getattr(getattr(request.user, "staff_profile", None), "unit", None)
    context = {
        "form": form,
        "assignments": rows.order_by("unit__path", "first_year"),
        "rulesets": PolicyRuleSet.objects.prefetch_related("rules").order_by("-is_default", "code"),
        "governing": ruleset_for(own, year) if own else None,
        "own": own,
        "year": year,
        "manager": has_role(request.user, *MANAGERS),
        "history": history.entries(
            RuleSetAssignment.history.filter(unit__in=units), title=("unit", "ruleset"), limit=50
        ),
    }
    return render(request, "evaluations/rulesets.html", context)


@staff_required(*MANAGERS)
def assignment_edit(request, pk):
    units = _units(request)
    assignment = get_object_or_404(RuleSetAssignment.objects.filter(unit__in=units), pk=pk)
    form = AssignmentForm(request.POST or None, instance=assignment, units=units)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("规则集适用范围已保存（修改记录可追溯）。"))
        return redirect("staff:rulesets")
    context = {"form": form, "assignment": assignment}
    return render(request, "evaluations/ruleset_edit.html", context)
