"""Staff forms of the contact-point pages (联系点, 001 §三): the coverage filter, changing a
point and establishing one. Choices are narrowed to the viewer's jurisdiction."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from evaluations.contacts.services import KIND_UNIT_LEVELS, ORGAN_PAIRING_KIND
from evaluations.models import ContactPoint, OrgUnit

# ISO values: a type="date" input shows nothing for the localised "2026/11/23".
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Units a coverage report is read for: where leaders and organs belong.
SCOPE_LEVELS = ["province", "city", "county", "township", "organ"]
TARGET_LEVELS = sorted({level for levels in KIND_UNIT_LEVELS.values() for level in levels})


class CoverageForm(forms.Form):
    unit = forms.ChoiceField(label=gettext_lazy("单位"), required=False)
    on = forms.DateField(label=gettext_lazy("日期"), required=False, widget=DATE)
    lacking = forms.BooleanField(label=gettext_lazy("只看缺少联系点的"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(u.code, u.name) for u in units.filter(level__in=SCOPE_LEVELS)]
        self.fields["unit"].choices = [("", gettext_lazy("本辖区全部")), *choices]

    def scope(self) -> tuple[str, object, bool]:
        """(unit code or "", date, only lacking); an invalid field falls back to its default."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        on = data.get("on") or timezone.localdate()
        return data.get("unit") or "", on, bool(data.get("lacking"))


def _target_field(queryset, label):
    return forms.ModelChoiceField(queryset=queryset, required=False, label=label)


class ChangeForm(forms.Form):
    new_unit = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), required=False)
    new_household = forms.CharField(
        label=gettext_lazy("新的帮扶户(化名或编号)"), max_length=60, required=False
    )
    on = forms.DateField(label=gettext_lazy("调整日期"), widget=DATE)
    reason = forms.CharField(
        label=gettext_lazy("调整原因"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("联系点原则上一定三年不变（001 §三），建立未满三年调整时必须填写。"),
    )

    def __init__(self, *args, point: ContactPoint, units, **kwargs):
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        if point.kind == ContactPoint.Kind.HOUSEHOLD:
            del self.fields["new_unit"]
        else:
            del self.fields["new_household"]
            levels = KIND_UNIT_LEVELS.get(point.kind, ())
            self.fields["new_unit"] = _target_field(
                units.filter(level__in=levels), gettext_lazy("新的联系单位")
            )


class EstablishForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=ContactPoint.Kind.choices)
    unit = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), required=False)
    household = forms.CharField(
        label=gettext_lazy("帮扶户(化名或编号)"),
        max_length=60,
        required=False,
        help_text=gettext_lazy("类型为贫困户/困难户时填写，不填真实姓名也可以。"),
    )
    on = forms.DateField(label=gettext_lazy("建立日期"), widget=DATE)

    def __init__(self, *args, units, organ=False, **kwargs):
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["unit"] = _target_field(
            units.filter(level__in=TARGET_LEVELS), gettext_lazy("联系单位")
        )
        if organ:  # 001 §三: 机关单位结对帮扶村(社区)
            kind = ContactPoint.Kind(ORGAN_PAIRING_KIND)
            self.fields["kind"].choices = [(kind.value, kind.label)]
            del self.fields["household"]
