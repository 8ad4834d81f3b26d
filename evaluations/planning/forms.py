"""Forms of planning: a research plan row, a week of the rota."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evaluations.models import Cadre, ResearchPlan
from evaluations.org.access import YEARS
from evaluations.quota.compliance import LEADING_LEVEL, ROTA_DEPUTY_POST


class PlanForm(forms.ModelForm):
    class Meta:
        model = ResearchPlan
        fields = ["cadre", "year", "topic", "q1_days", "q2_days", "q3_days", "q4_days"]

    def __init__(self, *args, cadres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = cadres
        self.fields["year"].widget.attrs.update(min=YEARS.start, max=YEARS.stop - 1)
        for name in ("q1_days", "q2_days", "q3_days", "q4_days"):
            self.fields[name].widget.attrs.update(max=92)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year not in YEARS:
            raise forms.ValidationError(_("年度无效。"))
        return year


class RotaForm(forms.Form):
    week = forms.TypedChoiceField(label=_("周（周一）"), coerce=str)
    cadre = forms.ModelChoiceField(
        label=_("接访领导"),
        queryset=Cadre.objects.none(),
        required=False,
        empty_label=_("（空缺，撤销安排）"),
    )
    note = forms.CharField(label=_("地点或说明"), max_length=200, required=False)

    def __init__(self, *args, unit, weeks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["week"].choices = [
            (f"{w.monday:%Y-%m-%d}", f"{w.monday:%Y-%m-%d}") for w in weeks
        ]
        # 001 §一: a 常委 or a 副市、县(区)长 of this unit receives each week.
        receivers = Q(is_standing_committee=True) | Q(post__regex=ROTA_DEPUTY_POST.pattern)
        self.fields["cadre"].queryset = Cadre.objects.filter(
            receivers,
            unit__path__startswith=unit.path,
            level=LEADING_LEVEL.get(unit.level),
            is_active=True,
        ).order_by("code")
