"""Report periods of 定期报送 (seed 000 (八): 定期报送干部下基层的情况和工作经验材料): a year, a
quarter or a month of one calendar year, named by a short code ("year", "Q1"–"Q4", "1"–"12")."""

import calendar
import datetime as dt

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations.org.access import YEARS
from evaluations.org.models import OrgUnit

QUARTERS = tuple(f"Q{q}" for q in range(1, 5))
MONTHS = tuple(str(m) for m in range(1, 13))
CODES = ("year", *QUARTERS, *MONTHS)


def label(code: str) -> str:
    if code == "year":
        return _("全年")
    if code in QUARTERS:
        return _("第%(q)s季度") % {"q": code[1]}
    if code in MONTHS:
        return _("%(m)s月") % {"m": code}
    raise ValueError(code)


def choices() -> list[tuple[str, str]]:
    return [(code, label(code)) for code in CODES]


def months(code: str) -> range:
    """The months of a period; ValueError for a code that is none."""
    if code == "year":
        return range(1, 13)
    if code in QUARTERS:
        q = int(code[1])
        return range(3 * q - 2, 3 * q + 1)
    if code in MONTHS:
        return range(int(code), int(code) + 1)
    raise ValueError(code)


def bounds(year: int, code: str) -> tuple[dt.date, dt.date]:
    """First and last day of the period."""
    span = months(code)
    last = span[-1]
    return dt.date(year, span[0], 1), dt.date(year, last, calendar.monthrange(year, last)[1])


class PeriodForm(forms.Form):
    """Unit, year and period of a periodic report, read from the query string; a unit outside
    `units` (the viewer's jurisdiction) or a period that is none is a form error, shown."""

    unit = forms.CharField(label=gettext_lazy("单位"))
    year = forms.IntegerField(
        label=gettext_lazy("年度"), min_value=YEARS.start, max_value=YEARS.stop - 1
    )
    period = forms.ChoiceField(label=gettext_lazy("报送期"))

    def __init__(self, query, *, units, year: int):
        first = units.order_by("path").first()
        data = {"unit": first.code if first else "", "year": year, "period": "year"}
        data.update({k: query[k] for k in ("unit", "year", "period") if query.get(k)})
        super().__init__(data)
        self.units = units
        self.fields["period"].choices = choices()

    def clean_unit(self):
        unit = self.units.filter(code=self.cleaned_data["unit"]).first()
        if unit is None:
            raise forms.ValidationError(gettext_lazy("没有这个单位，或不在您的管辖范围内。"))
        return unit

    def scope(self):
        """(unit, year, period code, first day, last day) of a valid form."""
        data = self.cleaned_data
        start, end = bounds(data["year"], data["period"])
        return data["unit"], data["year"], data["period"], start, end


def report_units(user):
    """The units a periodic report may be asked for: the viewer's, down to townships."""
    visible = OrgUnit.objects.visible_to(user)
    return visible.exclude(level__in=["village", "community"]).order_by("path")[:200]
