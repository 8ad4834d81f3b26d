"""Staff forms of democratic appraisal: the session, codes to issue or void, final grades."""

import re

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from evaluations.appraisal import scales
from evaluations.appraisal.services import GroupSpec, SubjectSpec
from evaluations.models import AppraisalSession, Cadre, OrgUnit

SPLIT = re.compile(r"[\s,，、]+")
SUBJECT_ROWS = 8  # empty subject rows offered at a time; saving and editing again adds more
GROUP_ROWS = 3


def grade_labels() -> dict[str, str]:
    """Grade code -> its Chinese name, over every scale (SPEC §5)."""
    return {code: str(label) for grades in scales.GRADES.values() for code, label in grades}


class LabelledRow(forms.Form):
    """A row of a table of rows: each input says which row and column it is (no <label>)."""

    table = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        number = int(self.prefix.rsplit("-", 1)[1]) + 1 if self.prefix else 1
        for field in self.fields.values():
            css = "form-check-input" if isinstance(field, forms.BooleanField) else "form-control"
            field.widget.attrs.update(
                {
                    "class": f"{css} form-control-sm" if css == "form-control" else css,
                    "aria-label": _("%(table)s第%(n)d行：%(column)s")
                    % {"table": self.table, "n": number, "column": field.label},
                }
            )


class SubjectRow(LabelledRow):
    """One person (or the team as a whole) on the ballot who is not picked from the roster."""

    table = _("评议对象")

    name = forms.CharField(label=_("姓名"), max_length=60, required=False)
    note = forms.CharField(label=_("职务"), max_length=100, required=False)
    is_probationary = forms.BooleanField(label=_("预备党员"), required=False)
    is_team = forms.BooleanField(label=_("领导班子整体"), required=False)


class GroupRow(LabelledRow):
    """One rater group: who votes, how many of them, and the weight of their votes."""

    table = _("评议组")

    name = forms.CharField(label=_("评议组名称"), max_length=40, required=False)
    voters = forms.IntegerField(label=_("应参加人数"), min_value=1, max_value=5000, required=False)
    weight = forms.DecimalField(
        label=_("权重"), min_value=0, max_value=999, decimal_places=3, required=False
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("name") and not cleaned.get("voters") and "voters" not in self.errors:
            self.add_error("voters", _("请填写应参加人数。"))
        if cleaned.get("voters") and not cleaned.get("name"):
            self.add_error("name", _("请填写评议组名称。"))
        return cleaned


SubjectRows = forms.formset_factory(SubjectRow, extra=SUBJECT_ROWS)
GroupRows = forms.formset_factory(GroupRow, extra=GROUP_ROWS)


class SessionForm(forms.ModelForm):
    opens_at = forms.DateTimeField(
        label=_("开始投票时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    closes_at = forms.DateTimeField(
        label=_("截止投票时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    cadres = forms.ModelMultipleChoiceField(
        label=_("从本支部党员中选择评议对象"),
        queryset=Cadre.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "列出所选党支部（单位）及其下级单位在册的党员干部；名册以外的人在下方逐行填写。"
        ),
    )

    class Meta:
        model = AppraisalSession
        fields = [
            "branch",
            "period",
            "year",
            "kind",
            "scale",
            "quorum_fraction",
            "flag_fraction",
            "excellent_cap_fraction",
            "excellent_majority_fraction",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.visible_to(user).order_by("path")
        self.fields["branch"].queryset = units
        members = Cadre.objects.filter(unit__in=units, is_active=True, is_party_member=True)
        branch = self.instance.branch if self.instance.branch_id else None
        if branch is not None:
            members = members.filter(unit__path__startswith=branch.path)
        self.fields["cadres"].queryset = members.select_related("unit").order_by(
            "unit__path", "name"
        )
        self.fields["cadres"].label_from_instance = lambda c: (
            gettext("%(name)s（%(post)s，%(unit)s）")
            % {
                "name": c.name,
                "post": c.post,
                "unit": c.unit.name,
            }
        )
        points = self.instance.grade_points or scales.DEFAULT_POINTS
        for code, label in grade_labels().items():
            self.fields[f"points_{code}"] = forms.FloatField(
                label=_("“%(grade)s”的分值") % {"grade": label},
                min_value=0,
                max_value=1,
                initial=points.get(code, scales.DEFAULT_POINTS.get(code, 0)),
                widget=forms.NumberInput(attrs={"step": "0.05"}),
            )
        if self.instance.pk:
            box = self.instance.box
            self.initial.update(
                opens_at=box.opens_at,
                closes_at=box.closes_at,
                cadres=[s.cadre_id for s in self.instance.subjects.all() if s.cadre_id],
            )

    def point_fields(self):
        return [self[f"points_{code}"] for code in grade_labels()]

    def other_fields(self):
        return [f for f in self if not f.name.startswith("points_") and f.name != "cadres"]

    def clean(self):
        cleaned = super().clean()
        kind, scale = cleaned.get("kind"), cleaned.get("scale")
        if kind and scale and scale not in scales.KIND_SCALES[kind]:
            self.add_error("scale", _("这种评议不能使用该等次。"))
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("截止时间应晚于开始时间。"))
        branch = cleaned.get("branch")
        outside = [
            c.name
            for c in cleaned.get("cadres") or []
            if branch is not None and not c.unit.path.startswith(branch.path)
        ]
        if outside:
            self.add_error(
                "cadres", _("不是本支部的党员：%(names)s") % {"names": "、".join(outside)}
            )
        return cleaned

    def save(self, commit=True):
        self.instance.grade_points = {
            code: self.cleaned_data[f"points_{code}"] for code in grade_labels()
        }
        return super().save(commit=commit)


class SessionSetup:
    """The session form with its subject rows and rater-group rows, validated together."""

    def __init__(self, data=None, *, instance=None, user):
        self.form = SessionForm(data, instance=instance, user=user)
        subjects, groups = [], []
        if instance is not None and instance.pk:
            subjects = [
                {
                    "name": s.name,
                    "note": s.note,
                    "is_probationary": s.is_probationary,
                    "is_team": s.is_team,
                }
                for s in instance.subjects.all()
                if not s.cadre_id
            ]
            groups = [
                {"name": g.name, "voters": g.voters, "weight": g.weight.normalize()}
                for g in instance.groups.all()
            ]
        self.subject_rows = SubjectRows(data, prefix="subject", initial=subjects)
        self.group_rows = GroupRows(data, prefix="group", initial=groups or [{"weight": 1}])

    def is_valid(self) -> bool:
        valid = [self.form.is_valid(), self.subject_rows.is_valid(), self.group_rows.is_valid()]
        return all(valid)

    def subjects(self) -> list[SubjectSpec]:
        specs = [
            SubjectSpec(
                name=row["name"].strip(),
                note=row.get("note", "").strip(),
                is_team=row.get("is_team", False),
                is_probationary=row.get("is_probationary", False),
            )
            for row in self.subject_rows.cleaned_data
            if row.get("name", "").strip()
        ]
        names = {s.name for s in specs}
        for cadre in self.form.cleaned_data.get("cadres") or []:
            if cadre.name not in names:
                specs.append(SubjectSpec(name=cadre.name, note=cadre.post, cadre=cadre))
        return specs

    def groups(self) -> list[GroupSpec]:
        return [
            GroupSpec(
                name=row["name"].strip(),
                voters=row["voters"],
                weight=float(row["weight"] if row.get("weight") is not None else 1),
            )
            for row in self.group_rows.cleaned_data
            if row.get("name")
        ]


class IssueForm(forms.Form):
    group = forms.ChoiceField(label=_("评议组"))
    count = forms.IntegerField(label=_("数量"), min_value=1, max_value=2000)

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [(g.pk, g.name) for g in session.groups.all()]


def parse_serials(text: str) -> list[int]:
    """'3, 7, 12-15' → [3, 7, 12, 13, 14, 15]."""
    serials = set()
    for part in SPLIT.split(text.strip()):
        if not part:
            continue
        first, _dash, last = part.replace("–", "-").partition("-")
        if not first.isdigit() or (last and not last.isdigit()):
            raise forms.ValidationError(_("票号格式如：3, 7, 12-15"))
        low, high = int(first), int(last or first)
        if high < low or high - low > 2000:
            raise forms.ValidationError(_("票号范围有误。"))
        serials.update(range(low, high + 1))
    return sorted(serials)


class VoidForm(forms.Form):
    serials = forms.CharField(label=_("作废票号"), help_text=_("如：3, 7, 12-15"))
    reissue = forms.BooleanField(label=_("同时补发新投票码"), required=False, initial=True)

    def clean_serials(self):
        return parse_serials(self.cleaned_data["serials"])


class GradesForm(forms.Form):
    """One grade (or undecided) and a note per graded subject."""

    def __init__(self, *args, session, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for subject in subjects:
            grades = scales.grades_of(subject.scale(session.scale))
            grade = forms.ChoiceField(
                label=subject.name,
                choices=[("", _("未评定")), *grades],
                required=False,
                initial=subject.final_grade,
                # Rendered in a table cell without a <label>: the name says whose grade it is.
                widget=forms.Select(
                    attrs={
                        "class": "form-select form-select-sm",
                        "aria-label": _("%s的组织认定等次") % subject.name,
                    }
                ),
            )
            note = forms.CharField(
                label=_("说明"),
                required=False,
                max_length=300,
                initial=subject.decision_note,
                widget=forms.TextInput(
                    attrs={
                        "class": "form-control form-control-sm",
                        "aria-label": _("%s的认定说明") % subject.name,
                    }
                ),
            )
            self.fields[f"grade_{subject.pk}"] = grade
            self.fields[f"note_{subject.pk}"] = note
            self.rows.append((subject, self[f"grade_{subject.pk}"], self[f"note_{subject.pk}"]))

    def attach(self, rows: list[dict]) -> list[dict]:
        """Put each subject's grade and note fields beside its tally row."""
        for row in rows:
            pk = row["subject"].pk
            row["grade_field"], row["note_field"] = self[f"grade_{pk}"], self[f"note_{pk}"]
        return rows

    def decisions(self) -> dict:
        return {
            subject.pk: (
                self.cleaned_data[f"grade_{subject.pk}"],
                self.cleaned_data[f"note_{subject.pk}"],
            )
            for subject, _grade, _note in self.rows
        }
