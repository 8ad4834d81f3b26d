"""Staff forms of the problem ledger: filters, logging a case, and one form per action. Each
action form calls its one service in `perform`."""

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations.cases import permissions
from evaluations.cases import selectors as case_selectors
from evaluations.cases import services as cases
from evaluations.models import Case

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def contact_notice() -> str:
    # 个人信息保护法 art. 6, 7, 17, 47: minimal, by explicit choice, purpose and period told.
    return _(
        "仅在群众明确同意时填写，只用于回访本问题，不用于评价；保存 %(days)s 天后自动删除，"
        "工作人员只能看到部分号码。"
    ) % {"days": settings.CONTACT_RETENTION_DAYS}


class RaiseCaseForm(forms.Form):
    visit = forms.ModelChoiceField(label=gettext_lazy("活动"), queryset=None)
    title = forms.CharField(label=gettext_lazy("反映的问题"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("详细情况"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    raised_on = forms.DateField(label=gettext_lazy("反映日期"), widget=DATE)
    contact_consent = forms.BooleanField(
        label=gettext_lazy("群众同意留下联系方式以便回访"), required=False
    )
    contact_name = forms.CharField(label=gettext_lazy("联系人"), max_length=40, required=False)
    contact_phone = forms.CharField(
        label=gettext_lazy("联系电话"),
        max_length=20,
        required=False,
        validators=[RegexValidator(r"^[0-9+\- ]{7,20}$", gettext_lazy("请填写有效的电话号码。"))],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visit"].queryset = case_selectors.own_visits(user)
        self.fields["contact_consent"].help_text = contact_notice()

    def clean(self):
        cleaned = super().clean()
        has_contact = cleaned.get("contact_name") or cleaned.get("contact_phone")
        if has_contact and not cleaned.get("contact_consent"):
            self.add_error("contact_consent", cases.MESSAGES["contact_without_consent"])
        return cleaned


class ActionForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("说明"), max_length=300, required=False)

    def __init__(self, *args, case, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.case, self.user = case, user


class AcceptForm(ActionForm):
    def perform(self, actor):
        return cases.accept(case=self.case, actor=actor, note=self.cleaned_data["note"])


class DeclineForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("不予受理原因"), max_length=300)

    def __init__(self, *args, case, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case

    def perform(self, actor):
        return cases.decline(case=self.case, reason=self.cleaned_data["reason"], actor=actor)


class SolveForm(forms.Form):
    result = forms.CharField(label=gettext_lazy("当场解决情况"), widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args, case, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case

    def perform(self, actor):
        return cases.solve_on_spot(case=self.case, result=self.cleaned_data["result"], actor=actor)


class AssignForm(ActionForm):
    responsible = forms.ModelChoiceField(label=gettext_lazy("包案领导"), queryset=None)
    deadline = forms.DateField(label=gettext_lazy("办结期限"), required=False, widget=DATE)
    field_order = ["responsible", "deadline", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = case_selectors.responsible_choices(
            self.user, self.case
        )
        self.fields["deadline"].help_text = _("留空则为 %(date)s（按规则集的办结期限）") % {
            "date": f"{cases.default_deadline(self.case):%Y-%m-%d}"
        }

    def perform(self, actor):
        data = self.cleaned_data
        return cases.assign(
            case=self.case,
            responsible=data["responsible"],
            deadline=data["deadline"],
            actor=actor,
            note=data["note"],
        )


class EscalateForm(ActionForm):
    to_unit = forms.ModelChoiceField(label=gettext_lazy("向上反映至"), queryset=None)
    field_order = ["to_unit", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = case_selectors.units_above(self.case)

    def perform(self, actor):
        data = self.cleaned_data
        return cases.escalate(
            case=self.case, to_unit=data["to_unit"], actor=actor, note=data["note"]
        )


class CloseForm(forms.Form):
    result = forms.CharField(label=gettext_lazy("办理结果"), widget=forms.Textarea({"rows": 3}))
    closed_on = forms.DateField(label=gettext_lazy("办结日期"), widget=DATE)

    def __init__(self, *args, case, user, **kwargs):
        kwargs.setdefault("initial", {"closed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.case = case

    def perform(self, actor):
        data = self.cleaned_data
        return cases.close(case=self.case, result=data["result"], on=data["closed_on"], actor=actor)


ACTION_FORMS = {
    "accept": AcceptForm,
    "decline": DeclineForm,
    "solve_on_spot": SolveForm,
    "assign": AssignForm,
    "escalate": EscalateForm,
    "close": CloseForm,
}


def action_forms(case: Case, user, bound: dict | None = None) -> list:
    """(action, label, form) for the moves the case's status allows, in the table's order;
    a submitted form that failed validation replaces the blank one."""
    bound = bound or {}
    rows = []
    for action in cases.allowed_actions(case):
        if permissions.refusal(user, case, action) is not None:
            continue
        form = bound.get(action) or ACTION_FORMS[action](case=case, user=user)
        form.auto_id = f"id_{action}_%s"  # several forms share field names on one page
        rows.append((action, cases.ACTION_LABELS[action], form))
    return rows
