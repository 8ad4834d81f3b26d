"""A cycle's 优秀 caps (SPEC §6) edited on a staff page: the admin is for superusers only
(issue 14 §4). Each change is kept in the caps' history with who made it."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from evaluations.models import AssessmentCycle, CapRule
from evaluations.org import history
from evaluations.org.access import MANAGERS, staff_required


class CapRows(forms.BaseModelFormSet):
    """The caps table's controls have no visible label of their own: each names its column
    and row for screen readers (WCAG 4.1.2), the delete box included."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = "" if index is None else index + 1
        for field in form.fields.values():
            field.widget.attrs["aria-label"] = f"{field.label} {row}".strip()


CapFormSet = forms.modelformset_factory(
    CapRule,
    formset=CapRows,
    fields=["category", "team_grade", "principal_not_excellent", "fraction", "source"],
    extra=1,
    can_delete=True,
)


@staff_required(*MANAGERS)
def cycle_caps(request, pk):
    cycle = get_object_or_404(AssessmentCycle.objects.visible_to(request.user), pk=pk)
    formset = CapFormSet(request.POST or None, queryset=CapRule.objects.filter(cycle=cycle))
    if request.method == "POST" and formset.is_valid():
        for cap in formset.save(commit=False):
            cap.cycle = cycle
            cap.save()
        for cap in formset.deleted_objects:
            cap.delete()
        messages.success(request, _("优秀比例规则已保存（修改记录可追溯）。"))
        return redirect("reports:cycle_caps", pk=cycle.pk)
    return render(request, "analytics/caps.html", {"cycle": cycle, "formset": formset})


@staff_required(*MANAGERS)
def cycle_history(request, pk):
    """Who changed the cycle's weights, bands and 优秀 caps, and when (SPEC §8)."""
    cycle = get_object_or_404(AssessmentCycle.objects.visible_to(request.user), pk=pk)
    settings = history.entries(AssessmentCycle.history.filter(id=cycle.pk), title=("year",))
    caps = history.entries(CapRule.history.filter(cycle_id=cycle.pk), title=("category",))
    changes = history.merged(settings, caps)
    return render(request, "analytics/cycle_history.html", {"cycle": cycle, "history": changes})
