"""The staff forms of paper sheets: printing a batch, entering a sheet (the resident's form,
every answer optional, since a resident may leave any question blank on paper), the third look."""

import copy

from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.forms import ResidentForm
from surveys.paper.codes import read_sheet_code
from surveys.paper.models import PaperBatch
from surveys.paper.services import MAX_BATCH
from surveys.versions import questions_of


class PrintForm(forms.Form):
    count = forms.IntegerField(label=_("份数"), min_value=1, max_value=MAX_BATCH, initial=50)
    size = forms.ChoiceField(label=_("纸张"), choices=PaperBatch.Size.choices, initial="a4")


class SheetNumberForm(forms.Form):
    """The number printed on the sheet, typed, or its QR code scanned into the field."""

    sheet = forms.CharField(
        label=_("问卷编号"),
        max_length=80,
        help_text=_("输入问卷上的编号，或用扫码枪扫描问卷上的二维码"),
    )

    def __init__(self, *args, token: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.token = token

    def clean_sheet(self) -> int:
        value = self.cleaned_data["sheet"].strip()
        if value.isdigit() and int(value) >= 1:
            return int(value)
        scanned = read_sheet_code(value)
        if scanned is None:
            raise forms.ValidationError(_("请输入问卷上的编号。"))
        if scanned[0] != self.token:
            raise forms.ValidationError(_("这份问卷不是本次活动的问卷。"))
        return scanned[1]


class EntryForm(SheetNumberForm):
    """The sheet number and the same fields as the web form of the sheet's version."""

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.fields["sheet"].widget = forms.HiddenInput()
        for q in questions_of(version):
            field = copy.deepcopy(ResidentForm._field_for(q))
            field.required = False
            field.widget.attrs.pop("aria-labelledby", None)
            self.fields[q.code] = field

    def answers(self) -> dict:
        return {code: self.cleaned_data.get(code) or "" for code in self.fields if code != "sheet"}


class ResolveForm(forms.Form):
    """One choice per differing field: the first reading or the second (a blank reading is a
    choice too, so the choice names the reading, not its value)."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[row.code] = forms.ChoiceField(
                label=row.label,
                choices=[("first", row.first_shown), ("second", row.second_shown)],
                widget=forms.RadioSelect,
                error_messages={"required": _("请选定一个读法。")},
            )

    def decided(self) -> dict:
        return {
            row.code: row.first if self.cleaned_data[row.code] == "first" else row.second
            for row in self.rows
        }
