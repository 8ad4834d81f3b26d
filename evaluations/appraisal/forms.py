"""Staff forms of democratic appraisal: the session, codes to issue or void, final grades."""

import re
from fractions import Fraction

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.appraisal import scales
from evaluations.appraisal.services import GroupSpec, SubjectSpec
from evaluations.models import AppraisalSession, Cadre, OrgUnit

PROBATIONARY_TAGS = {"预备", "预备党员"}
TEAM_TAGS = {"班子", "领导班子"}
SPLIT = re.compile(r"[\s,，、]+")


def parse_subjects(text: str) -> list[SubjectSpec]:
    """One per line: a name, then optionally a post and the tags 预备 / 班子."""
    specs = []
    for line in text.splitlines():
        words = [w for w in SPLIT.split(line.strip()) if w]
        if not words:
            continue
        tags = set(words[1:])
        note = " ".join(w for w in words[1:] if w not in PROBATIONARY_TAGS | TEAM_TAGS)
        specs.append(
            SubjectSpec(
                name=words[0][:60],
                note=note[:100],
                is_team=bool(tags & TEAM_TAGS),
                is_probationary=bool(tags & PROBATIONARY_TAGS),
            )
        )
    return specs


def parse_groups(text: str) -> list[GroupSpec]:
    """One per line: name, number of voters, optional weight (default 1)."""
    specs = []
    for number, line in enumerate(text.splitlines(), 1):
        words = [w for w in SPLIT.split(line.strip()) if w]
        if not words:
            continue
        try:
            voters = int(words[1])
            weight = float(Fraction(words[2])) if len(words) > 2 else 1.0
        except (IndexError, ValueError, ZeroDivisionError):
            raise forms.ValidationError(
                _("第 %(n)d 行应为：名称 应参加人数 权重（如“党员 25 0.4”）。"),
                params={"n": number},
            ) from None
        if voters < 1 or not 0 <= weight <= 999:
            raise forms.ValidationError(
                _("第 %(n)d 行的应参加人数应大于0，权重应在0到999之间。"), params={"n": number}
            )
        specs.append(GroupSpec(name=words[0][:40], voters=voters, weight=weight))
    return specs


def subjects_text(session: AppraisalSession) -> str:
    lines = []
    for s in session.subjects.all():
        tags = [s.note] + (["班子"] if s.is_team else []) + (["预备"] if s.is_probationary else [])
        lines.append(" ".join([s.name, *[t for t in tags if t]]))
    return "\n".join(lines)


def groups_text(session: AppraisalSession) -> str:
    return "\n".join(f"{g.name} {g.voters} {g.weight.normalize():f}" for g in session.groups.all())


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
    subjects_text = forms.CharField(
        label=_("评议对象"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "每行一人：姓名，可加职务；预备党员在后面写“预备”（参加投票，不评定等次）；"
            "领导班子整体写一行并加“班子”。"
        ),
    )
    cadres = forms.ModelMultipleChoiceField(
        label=_("从干部名册添加"),
        queryset=Cadre.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    groups_text = forms.CharField(
        label=_("评议组"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "每行一组：名称 应参加人数 权重，如“班子成员 7 0.3”“党员 40 0.4”“群众代表 20 0.3”。"
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
            "grade_points",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.visible_to(user).order_by("path")
        self.fields["branch"].queryset = units
        self.fields["cadres"].queryset = Cadre.objects.filter(unit__in=units, is_active=True)
        if self.instance.pk:
            box = self.instance.box
            self.initial.update(
                opens_at=box.opens_at,
                closes_at=box.closes_at,
                subjects_text=subjects_text(self.instance),
                groups_text=groups_text(self.instance),
            )

    def clean_grade_points(self):
        points = self.cleaned_data["grade_points"]
        if not isinstance(points, dict) or not all(
            isinstance(v, int | float) and 0 <= v <= 1 for v in points.values()
        ):
            raise forms.ValidationError(_("等次分值应为 {等次代码: 0到1之间的数} 的形式。"))
        return points

    def clean_groups_text(self):
        return parse_groups(self.cleaned_data["groups_text"])

    def clean(self):
        cleaned = super().clean()
        kind, scale = cleaned.get("kind"), cleaned.get("scale")
        if kind and scale and scale not in scales.KIND_SCALES[kind]:
            self.add_error("scale", _("这种评议不能使用该等次。"))
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("截止时间应晚于开始时间。"))
        return cleaned

    def subjects(self) -> list[SubjectSpec]:
        specs = parse_subjects(self.cleaned_data.get("subjects_text", ""))
        names = {s.name for s in specs}
        for cadre in self.cleaned_data.get("cadres") or []:
            if cadre.name not in names:
                specs.append(SubjectSpec(name=cadre.name, note=cadre.post, cadre=cadre))
        return specs


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
