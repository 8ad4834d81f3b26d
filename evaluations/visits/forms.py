"""Staff forms of the workbench."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evaluations.models import Cadre, ContactPoint, OrgUnit, Visit


class VisitForm(forms.ModelForm):
    class Meta:
        model = Visit
        fields = [
            "kind",
            "method",
            "target_unit",
            "place",
            "start_date",
            "end_date",
            "hours",
            "people_received",
            "contact_point",
            "companions",
            "purpose",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "companions": forms.CheckboxSelectMultiple,
        }

    amendment_reason = forms.CharField(
        label=_("更正原因"),
        required=False,
        max_length=300,
        help_text=_("已完成的活动修改日期、时长或同行干部时必须填写；更正记录供纪检监察查阅"),
    )

    expected_audience = forms.IntegerField(
        label=_("参会人数"),
        required=False,
        min_value=1,
        max_value=100000,
        help_text=_("会议或到场的大约人数（可不填）；评价数明显超过它时，超出的评价待复核"),
    )

    def __init__(self, *args, units, colleagues, points, **kwargs):
        super().__init__(*args, **kwargs)
        link = self.instance.rating_link if self.instance.pk else None
        if link is not None:
            self.initial.setdefault("expected_audience", link.expected_audience)
        self.fields["target_unit"].queryset = units
        self.fields["companions"].queryset = colleagues
        self.fields["companions"].help_text = _("同行干部（老中青结合）")
        self.fields["contact_point"].queryset = points
        if self.instance.pk is None or self.instance.status != Visit.Status.DONE:
            del self.fields["amendment_reason"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("结束日期不能早于开始日期。"))
        return cleaned


class OnBehalfForm(VisitForm):
    """A visit the organisation department records for a leader (the leader completes it)."""

    lead = forms.ModelChoiceField(label=_("带队领导"), queryset=Cadre.objects.none())
    field_order = ["lead"]

    def __init__(self, *args, leads, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = leads
        self.order_fields(self.field_order)


class CompleteVisitForm(forms.Form):
    summary = forms.CharField(
        label=_("活动总结（民情日记）"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=5000,
        error_messages={"required": _("请填写活动总结：回来以后要认真进行总结。")},
    )


def unit_choices(user):
    return OrgUnit.objects.visible_to(user).order_by("path")


def colleague_choices(user):
    return Cadre.objects.filter(unit__in=unit_choices(user), is_active=True).order_by(
        "unit__path", "code"
    )


def point_choices(cadre):
    """The cadre's own contact points and those of the cadre's unit (an organ's villages)."""
    return ContactPoint.objects.filter(
        Q(cadre=cadre) | Q(organ=cadre.unit_id), end__isnull=True
    ).select_related("unit")
