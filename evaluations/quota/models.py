"""Policy rule sets: quotas as data, per jurisdiction and period (SPEC §3).

Fujian 2013 (seed 001) and Sichuan 2017 (seed 003) ship as rows (migration 0003); an
administrator adds or edits rule sets and assigns one to a unit subtree for a span of years."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evaluations.org.models import OrgUnit
from evaluations.quota.policy_data import shipped


class PolicyRuleSet(models.Model):
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=120)
    source = models.CharField(_("依据文件"), max_length=300)
    is_default = models.BooleanField(_("默认规则"), default=False)
    # 004: the 1988 Xiapu reception day — what was not solved on the spot, within one month.
    case_deadline_days = models.PositiveSmallIntegerField(
        _("问题办结期限(天)"), default=30, help_text=_("未按月计算时使用")
    )
    # 004: "在一个月内处理完毕" is a calendar month (raised 20 December, due 20 January).
    case_deadline_months = models.PositiveSmallIntegerField(
        _("问题办结期限(月)"),
        null=True,
        blank=True,
        default=1,
        help_text=_("按自然月计算；留空则按天数计算"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("政策规则集")
        verbose_name_plural = _("政策规则集")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_ruleset"
            )
        ]

    def __str__(self):
        return str(self.shown_name)

    @property
    def shown_name(self):
        return shipped(self.name)

    @property
    def shown_source(self):
        return shipped(self.source)


class Period(models.TextChoices):
    WEEK = "week", _("每周")
    MONTH = "month", _("每月")
    QUARTER = "quarter", _("每季度")
    YEAR = "year", _("每年")


class QuotaRule(models.Model):
    """One requirement: who it binds, what counts, how it is measured, how much per period."""

    class Subject(models.TextChoices):
        CADRE = "cadre", _("干部个人")
        UNIT = "unit", _("单位(专题研究)")
        ROTA = "rota", _("单位轮值接访")

    class Measure(models.TextChoices):
        COUNT = "count", _("次数")
        DAYS = "days", _("天数")

    ruleset = models.ForeignKey(
        PolicyRuleSet, models.CASCADE, related_name="rules", verbose_name=_("规则集")
    )
    code = models.SlugField(_("代码"), max_length=60)
    label = models.CharField(_("要求(原文)"), max_length=200)
    source = models.CharField(_("出处"), max_length=200)
    subject = models.CharField(_("考核对象"), max_length=8, choices=Subject, default=Subject.CADRE)
    cadre_levels = models.JSONField(
        _("适用职级"), default=list, blank=True, help_text=_("空表示不限职级")
    )
    post_categories = models.JSONField(
        _("适用职务类别"),
        default=list,
        blank=True,
        help_text=_("空表示不限职务类别（如“党政领导干部”只约束党政领导班子成员）"),
    )
    requires_principal = models.BooleanField(_("仅党政主要领导/单位主要负责人"), default=False)
    requires_standing_committee = models.BooleanField(_("仅常委会委员"), default=False)
    unit_levels = models.JSONField(
        _("适用单位层级"), default=list, blank=True, help_text=_("单位或轮值规则适用的单位层级")
    )
    seat_levels = models.JSONField(
        _("机关部门所属层级"),
        default=list,
        blank=True,
        help_text=_("机关部门规则只约束这些层级（省、市、县）的部门；空表示不限"),
    )
    visit_kinds = models.JSONField(_("计入的活动类型"), default=list, blank=True)
    measure = models.CharField(_("计量"), max_length=8, choices=Measure, default=Measure.COUNT)
    period = models.CharField(_("周期"), max_length=8, choices=Period)
    minimum = models.DecimalField(
        _("最低要求"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("留空表示只展示、不计分(如“更多时间”)"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("指标规则")
        verbose_name_plural = _("指标规则")
        ordering = ["ruleset", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["ruleset", "code"], name="rule_code_unique"),
            models.CheckConstraint(
                condition=Q(minimum__isnull=True) | Q(minimum__gte=0),
                name="rule_minimum_non_negative",
            ),
        ]

    def __str__(self):
        return str(self.shown_label)

    @property
    def shown_label(self):
        """The wording in the reader's language while it is the shipped one (policy_data)."""
        return shipped(self.label)

    @property
    def shown_source(self):
        return shipped(self.source)

    @property
    def is_scored(self) -> bool:
        return self.minimum is not None

    def binds(
        self, *, level: str, post_category: str, is_principal: bool, is_standing_committee: bool
    ) -> bool:
        """Whether a cadre with these attributes (in one tenure) is bound by this rule."""
        if self.subject != self.Subject.CADRE:
            return False
        if self.cadre_levels and level not in self.cadre_levels:
            return False
        if self.post_categories and post_category not in self.post_categories:
            return False
        if self.requires_principal and not is_principal:
            return False
        return not (self.requires_standing_committee and not is_standing_committee)


class ContactRequirement(models.Model):
    """联系点 per cadre level (001 §三): e.g. 县级领导 1 乡镇, 1 村, 1 企业, ≥1 贫困户."""

    ruleset = models.ForeignKey(
        PolicyRuleSet,
        models.CASCADE,
        related_name="contact_requirements",
        verbose_name=_("规则集"),
    )
    cadre_levels = models.JSONField(_("适用职级"), default=list)
    post_categories = models.JSONField(
        _("适用职务类别"), default=list, blank=True, help_text=_("空表示不限职务类别")
    )
    requires_standing_committee = models.BooleanField(_("仅常委会委员"), default=False)
    kind = models.CharField(_("联系点类型"), max_length=12)
    minimum = models.PositiveSmallIntegerField(_("最少个数"), default=1)
    source = models.CharField(_("出处"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("联系点要求")
        verbose_name_plural = _("联系点要求")

    def __str__(self):
        return f"{self.cadre_levels} {self.kind} ≥{self.minimum}"

    @property
    def shown_source(self):
        return shipped(self.source)

    def binds(self, *, level: str, post_category: str, is_standing_committee: bool) -> bool:
        if level not in self.cadre_levels:
            return False
        if self.post_categories and post_category not in self.post_categories:
            return False
        return is_standing_committee or not self.requires_standing_committee


class RuleSetAssignment(models.Model):
    """Which rule set governs a unit subtree from one year to another (inclusive)."""

    ruleset = models.ForeignKey(PolicyRuleSet, models.PROTECT, verbose_name=_("规则集"))
    unit = models.ForeignKey(OrgUnit, models.CASCADE, verbose_name=_("适用单位(含下级)"))
    first_year = models.PositiveSmallIntegerField(_("起始年度"))
    last_year = models.PositiveSmallIntegerField(_("截止年度"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("规则集适用范围")
        verbose_name_plural = _("规则集适用范围")

    def __str__(self):
        return f"{self.unit} {self.first_year}–{self.last_year or ''}: {self.ruleset}"


def governing_table(year: int) -> tuple[list[tuple[str, int]], int | None]:
    """The assignments running in `year` (unit path, rule set) and the default: two queries."""
    running = Q(first_year__lte=year) & (Q(last_year__isnull=True) | Q(last_year__gte=year))
    assignments = RuleSetAssignment.objects.filter(running).order_by("pk")
    default = PolicyRuleSet.objects.filter(is_default=True).values_list("pk", flat=True).first()
    return list(assignments.values_list("unit__path", "ruleset_id")), default


def ruleset_ids_for(paths, year: int, *, table=None) -> dict[str, int | None]:
    """Which rule set governs each unit path in `year`: the nearest assignment up the tree
    that covers the year, else the default rule set. The rule, in one place."""
    assignments, default = table or governing_table(year)
    chosen = {}
    for path in paths:
        covering = [a for a in assignments if path.startswith(a[0])]
        chosen[path] = max(covering, key=lambda a: len(a[0]), default=(None, default))[1]
    return chosen


def ruleset_for(unit: OrgUnit, year: int) -> PolicyRuleSet | None:
    pk = ruleset_ids_for([unit.path], year)[unit.path]
    return PolicyRuleSet.objects.filter(pk=pk).first() if pk else None


class UnitMeeting(models.Model):
    """专题研究 of problems raised by the grassroots (001 §二), a unit-level quota."""

    unit = models.ForeignKey(
        OrgUnit, models.PROTECT, related_name="meetings", verbose_name=_("单位")
    )
    date = models.DateField(_("日期"))
    topic = models.CharField(_("议题"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("专题研究会议")
        verbose_name_plural = _("专题研究会议")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.unit} {self.date} {self.topic}"
