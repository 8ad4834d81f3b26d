"""专题研究 meetings (001 §二) recorded on a staff page: the admin is for superusers only
(issue 14 §4), so the department records, corrects and removes its own units' meetings here,
inside its subtree, each change kept in the history with who made it."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from evaluations.models import OrgUnit, UnitMeeting
from evaluations.org import history
from evaluations.org.access import MANAGERS, READERS, YEARS, staff_required
from evaluations.org.jurisdiction import has_role
from evaluations.quota.views import SCOPE_LEVELS


class MeetingForm(forms.ModelForm):
    class Meta:
        model = UnitMeeting
        fields = ["unit", "date", "topic"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean_date(self):
        """A meeting is recorded once it was held: never in the future (it would count toward
        the monthly 专题研究 requirement before it happened), never before the rules (1988)."""
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("会议还没有召开，开会以后再登记。"))
        if day.year < YEARS.start:
            raise forms.ValidationError(_("日期有误，请核对。"))
        return day


def _units(request):
    return OrgUnit.objects.visible_to(request.user).filter(level__in=SCOPE_LEVELS)


def _manager(request):
    if not has_role(request.user, *MANAGERS):
        raise PermissionDenied(_("只有组织人事部门可以登记专题研究会议。"))


@staff_required(*READERS)
def meetings(request):
    units = _units(request)
    form = MeetingForm(request.POST or None, units=units.order_by("path"))
    if request.method == "POST":
        _manager(request)
        if form.is_valid():
            form.save()
            messages.success(request, _("专题研究会议已登记。"))
            return redirect("staff:meetings")
    held = UnitMeeting.objects.filter(unit__in=units).select_related("unit")[:300]
    changes = history.entries(
        UnitMeeting.history.filter(unit__in=units), title=("unit", "date"), limit=50
    )
    context = {"form": form, "meetings": held, "history": changes}
    context["manager"] = has_role(request.user, *MANAGERS)
    return render(request, "evaluations/meetings.html", context)


@staff_required(*MANAGERS)
def meeting_edit(request, pk):
    units = _units(request)
    meeting = get_object_or_404(UnitMeeting.objects.filter(unit__in=units), pk=pk)
    form = MeetingForm(request.POST or None, instance=meeting, units=units.order_by("path"))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("专题研究会议已修改（修改记录可追溯）。"))
        return redirect("staff:meetings")
    return render(request, "evaluations/meeting_edit.html", {"form": form, "meeting": meeting})


@require_POST
@staff_required(*MANAGERS)
def meeting_delete(request, pk):
    meeting = get_object_or_404(UnitMeeting.objects.filter(unit__in=_units(request)), pk=pk)
    meeting.delete()
    messages.success(request, _("专题研究会议已删除（删除记录可追溯）。"))
    return redirect("staff:meetings")
