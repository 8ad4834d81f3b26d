"""The voter's forms: a code typed by hand, and the ballot built from the box's options."""

from django import forms
from django.utils.translation import gettext_lazy as _

from surveys import notes


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("投票码"),
        max_length=40,
        help_text=_("选票条上的10位投票码，不区分大小写，短横线可省略"),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        label=_("选票回执"),
        max_length=20,
        help_text=_("投票成功后页面上显示的8位回执，不区分大小写，短横线可省略"),
        error_messages={"required": _("请输入回执。")},
    )


class BallotForm(forms.Form):
    """One required radio group per item; nothing preselected."""

    code = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, options: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for item in options.get("items", []):
            self.fields[item["key"]] = forms.ChoiceField(
                label=item["label"],
                help_text=item.get("note", ""),
                choices=[(c["value"], notes.text(c["label"])) for c in item["choices"]],
                widget=forms.RadioSelect,
                error_messages={"required": _("请选择一个等次。")},
            )

    def item_fields(self):
        return [self[name] for name in self.fields if name != "code"]

    def answers(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "code"}
