"""The staff forms of paper sheets: printing a batch, entering a sheet (the resident's form,
every answer optional, since a resident may leave any question blank on paper), the third look
and voiding a sheet."""

import copy

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from surveys.forms import ResidentForm
from surveys.models import Question
from surveys.paper.codes import read_sheet_code
from surveys.paper.models import PaperBatch
from surveys.paper.services import MAX_BATCH
from surveys.versions import questions_of


class PrintForm(forms.Form):
    """How many sheets and which paper; each field says what is wrong with it, in Chinese."""

    count = forms.IntegerField(label=_("份数"), min_value=1, max_value=MAX_BATCH, initial=50)
    size = forms.ChoiceField(
        label=_("纸张"),
        choices=PaperBatch.Size.choices,
        initial="a4",
        error_messages={
            "required": _("纸张只能选 A4 或 A5。"),
            "invalid_choice": _("纸张只能选 A4 或 A5。"),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        wrong = gettext("请填写 1 至 %(max)s 之间的份数。") % {"max": MAX_BATCH}
        for key in ("required", "invalid", "min_value", "max_value"):
            self.fields["count"].error_messages[key] = wrong


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
        if value.isdecimal() and int(value) >= 1:
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
            if isinstance(field, forms.ChoiceField):
                # Plain boxes, and 未填 first and chosen: a box ticked by mistake can be undone.
                field.choices = [("", _("未填（纸面上没有勾选）")), *field.choices]
                field.widget = forms.RadioSelect(choices=field.choices)
                field.initial = ""
            self.fields[q.code] = field

    def answers(self) -> dict:
        return {code: self.cleaned_data.get(code) or "" for code in self.fields if code != "sheet"}


class ResolveForm(forms.Form):
    """The third look: for each field where the two readings differ, what the sheet itself says,
    in the words printed on it: a box's label or 未填 for a choice, the written text (blank when
    the sheet is blank) for a text question. Either reading may be wrong, so neither is offered
    as such."""

    NO_ANSWER = "__none__"  # the choice "未填": no box ticked on the sheet

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[row.code] = self._field_for(row)

    @classmethod
    def _field_for(cls, row) -> forms.Field:
        q = row.question
        if q.kind == Question.Kind.TEXT:
            return forms.CharField(
                label=row.label,
                required=False,
                max_length=q.max_length,
                help_text=_("照纸面抄写；纸面空着就留空。"),
                widget=forms.Textarea(
                    attrs={"rows": 3, "maxlength": q.max_length, "class": "form-control"}
                ),
                error_messages={
                    "max_length": _("最多 %(limit_value)d 字，现在是 %(show_value)d 字。")
                },
            )
        choices = [(c.value, c.shown_label()) for c in q.choices.all()]
        return forms.ChoiceField(
            label=row.label,
            choices=[*choices, (cls.NO_ANSWER, _("未填（纸面上没有勾选）"))],
            widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            error_messages={"required": _("请选定纸面上的答案。")},
        )

    def rows_and_fields(self):
        return [(row, self[row.code]) for row in self.rows]

    def decided(self) -> dict:
        values = {row.code: self.cleaned_data[row.code] for row in self.rows}
        return {code: "" if value == self.NO_ANSWER else value for code, value in values.items()}


class VoidForm(forms.Form):
    """Voiding the sheet (作废) instead: never without a reason."""

    void_reason = forms.CharField(
        label=_("作废理由"),
        max_length=200,
        help_text=_("例如：伪造、字迹无法辨认、同一编号有两份问卷"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请写明作废的理由。")},
    )
