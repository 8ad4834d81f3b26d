"""专题研究 meetings (001 §二) recorded on a staff page: the admin is for superusers only
(issue 14 §4), so the department records its own units' meetings here, inside its subtree."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from evaluations.models import OrgUnit, UnitMeeting
from evaluations.org.access import MANAGERS, READERS, staff_required
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


@staff_required(*READERS)
def meetings(request):
    units = OrgUnit.objects.visible_to(request.user).filter(level__in=SCOPE_LEVELS)
    form = MeetingForm(request.POST or None, units=units.order_by("path"))
    if request.method == "POST":
        if not has_role(request.user, *MANAGERS):
            raise PermissionDenied(_("只有组织人事部门可以登记专题研究会议。"))
        if form.is_valid():
            form.save()
            messages.success(request, _("专题研究会议已登记。"))
            return redirect("staff:meetings")
    held = UnitMeeting.objects.filter(unit__in=units).select_related("unit")[:300]
    return render(request, "evaluations/meetings.html", {"form": form, "meetings": held})
