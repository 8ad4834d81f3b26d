"""The annual assessment (年度考核): cycles with weights, bands and caps as data, and the
department's decisions (组织评定). Computed suggestions live in analytics (AssessmentRun)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evaluations.org.jurisdiction import JurisdictionQuerySet
from evaluations.org.models import Cadre, OrgUnit


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    COMPETENT = "competent", _("称职")
    BASIC = "basic", _("基本称职")
    INCOMPETENT = "incompetent", _("不称职")
    UNDETERMINED = "undetermined", _("不确定等次")


class TeamGrade(models.TextChoices):
    # 《党政领导干部考核工作条例》(2019) 第二十九条: 领导班子 优秀、良好、一般、较差.
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    FAIR = "fair", _("一般")
    POOR = "poor", _("较差")


class Category(models.TextChoices):
    LEADING = "leading", _("领导干部")
    OTHER = "other", _("其他干部")


def category_of(level: str) -> str:
    """乡科级 and above are 领导干部 for the caps; 一般干部 form their own category."""
    return Category.OTHER if level == Cadre.Level.GENERAL else Category.LEADING


class CycleQuerySet(JurisdictionQuerySet):
    unit_path_lookup = "unit__path"


# A weight or a cap is a share (0–1); a band is a point on the 0–100 composite.
SHARE = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))]
SCORE = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class AssessmentCycle(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已结束")

    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="cycles", verbose_name=_("单位"))
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(_("状态"), max_length=8, choices=Status, default=Status.OPEN)
    # Default weights (local practice; the department edits them per cycle, each change logged):
    # the branch's 民主测评 weighs most, residents' satisfaction informs but never decides alone
    # (2024 rules against formalism), quota compliance and case handling complete the picture.
    weight_satisfaction = models.DecimalField(
        _("群众满意度权重"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.30"),
        validators=SHARE,
    )
    weight_appraisal = models.DecimalField(
        _("民主测评权重"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.40"),
        validators=SHARE,
    )
    weight_compliance = models.DecimalField(
        _("四下基层指标权重"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.20"),
        validators=SHARE,
    )
    weight_cases = models.DecimalField(
        _("问题办理权重"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.10"),
        validators=SHARE,
    )
    # Grade bands on the 0–100 composite (local practice, editable): at or above each bound.
    band_excellent = models.DecimalField(
        _("优秀分数线"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("90"),
        validators=SCORE,
    )
    band_competent = models.DecimalField(
        _("称职分数线"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("70"),
        validators=SCORE,
    )
    band_basic = models.DecimalField(
        _("基本称职分数线"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("60"),
        validators=SCORE,
    )
    team_grade = models.CharField(
        _("领导班子等次"), max_length=10, choices=TeamGrade, default=TeamGrade.GOOD
    )
    principal_excellent = models.BooleanField(_("主要负责人为优秀"), default=False)

    objects = CycleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("年度考核")
        verbose_name_plural = _("年度考核")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="one_cycle_per_unit_year"),
            models.CheckConstraint(
                condition=Q(band_excellent__gte=models.F("band_competent"))
                & Q(band_competent__gte=models.F("band_basic")),
                name="bands_ordered",
                violation_error_message=_("分数线应从高到低：优秀 ≥ 称职 ≥ 基本称职。"),
            ),
        ]

    def __str__(self):
        """The cycle's title, made in the reader's language each time it is shown."""
        return gettext("%(unit)s %(year)s 年度考核") % {"unit": self.unit, "year": self.year}

    def clean(self):
        """The four weights make the whole composite: they add up to exactly 1 (a sum of 1.7
        was saved and quietly raised every score)."""
        parts = (
            self.weight_satisfaction,
            self.weight_appraisal,
            self.weight_compliance,
            self.weight_cases,
        )
        if None in parts:
            return  # the field itself reports what is wrong
        total = sum(Decimal(str(p)) for p in parts)
        if total != 1:
            raise ValidationError(
                _("四项权重之和应为 1，现为 %(total)s。") % {"total": f"{total:.2f}"}
            )

    def weights(self) -> dict:
        return {
            "satisfaction": float(self.weight_satisfaction),
            "appraisal": float(self.weight_appraisal),
            "compliance": float(self.weight_compliance),
            "cases": float(self.weight_cases),
        }

    def bands(self) -> list[tuple[float, str]]:
        return [
            (float(self.band_excellent), Grade.EXCELLENT),
            (float(self.band_competent), Grade.COMPETENT),
            (float(self.band_basic), Grade.BASIC),
        ]


class CapRule(models.Model):
    """优秀 caps as data. Defaults from 《党政领导干部考核工作条例》(2019) 第三十三条 and, for
    other cadres, 《公务员考核规定》(2020): 一般掌握在 20% 以内."""

    cycle = models.ForeignKey(
        AssessmentCycle, models.CASCADE, related_name="caps", verbose_name=_("考核")
    )
    category = models.CharField(_("干部类别"), max_length=8, choices=Category)
    team_grade = models.CharField(_("班子等次条件"), max_length=10, choices=TeamGrade, blank=True)
    principal_not_excellent = models.BooleanField(_("且主要负责人非优秀"), default=False)
    fraction = models.DecimalField(
        _("优秀比例上限"), max_digits=4, decimal_places=2, validators=SHARE
    )
    source = models.CharField(_("依据"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("优秀比例规则")
        verbose_name_plural = _("优秀比例规则")

    def __str__(self):
        return f"{self.get_category_display()} {self.team_grade or '*'} ≤{self.fraction}"


class AssessmentDecision(models.Model):
    """组织评定: the department's grade for a cadre, with the suggestion it saw and its reason."""

    cycle = models.ForeignKey(
        AssessmentCycle, models.PROTECT, related_name="decisions", verbose_name=_("考核")
    )
    cadre = models.ForeignKey(
        Cadre, models.PROTECT, related_name="assessment_decisions", verbose_name=_("干部")
    )
    grade = models.CharField(_("确定等次"), max_length=12, choices=Grade)
    suggested_grade = models.CharField(_("建议等次"), max_length=12, choices=Grade, blank=True)
    suggested_score = models.FloatField(_("建议时综合得分"), null=True, blank=True)
    reason = models.CharField(_("评定理由"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("评定人")
    )
    decided_at = models.DateTimeField(_("评定时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("组织评定")
        verbose_name_plural = _("组织评定")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "cadre"], name="one_decision_per_cadre")
        ]

    def __str__(self):
        return f"{self.cadre} {self.get_grade_display()}"

    @property
    def is_override(self) -> bool:
        return bool(self.suggested_grade) and self.grade != self.suggested_grade
