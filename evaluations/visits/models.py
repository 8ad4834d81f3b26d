"""Visits down to the grassroots (下基层活动)."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from evaluations.org.jurisdiction import JurisdictionQuerySet
from evaluations.org.models import Cadre, OrgUnit
from surveys.models import RatingLink

# SPEC §7 "quotas met only on paper": one record of 31 calendar days or more (a whole month and
# then some, as when 张伟 went from 66 to 97 research days with one entry) counts toward a
# quota only once 纪检 or the personnel department has reviewed it.
LONG_RUN_DAYS = 31


class VisitQuerySet(JurisdictionQuerySet):
    # A visit belongs to the jurisdiction of its lead cadre's unit.
    unit_path_lookup = "lead__unit__path"
    own_lookups = ("lead", "companions")


class Visit(models.Model):
    class Kind(models.TextChoices):
        # The four of 四下基层 (seeds 000, 001) ...
        PETITION_RECEPTION = "petition", _("信访接待")
        ONSITE_OFFICE = "onsite", _("现场办公")
        RESEARCH = "research", _("调查研究")
        PUBLICITY = "publicity", _("宣传党的方针政策")
        # ... and the forms of contact that seed 002 names.
        HOUSEHOLD = "household", _("走访")
        RESIDENCE = "residence", _("驻村蹲点")
        PAIRING = "pairing", _("结对帮扶")

    class Method(models.TextChoices):
        # Research methods (002: 蹲点调研、走访、座谈会、问卷调查).
        NONE = "", _("—")
        SYMPOSIUM = "symposium", _("座谈会")
        QUESTIONNAIRE = "questionnaire", _("问卷调查")
        FIELD = "field", _("蹲点调研")
        HOUSEHOLD = "household", _("入户走访")

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划中")
        DONE = "done", _("已完成")

    kind = models.CharField(_("活动类型"), max_length=12, choices=Kind)
    method = models.CharField(_("调研方式"), max_length=16, choices=Method, blank=True, default="")
    lead = models.ForeignKey(
        Cadre, models.PROTECT, related_name="led_visits", verbose_name=_("带队干部")
    )
    companions = models.ManyToManyField(
        Cadre, blank=True, related_name="accompanied_visits", verbose_name=_("同行干部")
    )
    target_unit = models.ForeignKey(
        OrgUnit, models.PROTECT, related_name="visits", verbose_name=_("前往单位")
    )
    place = models.CharField(_("地点"), max_length=200, blank=True)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    hours = models.DecimalField(
        _("实际时长(小时)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("用于识别“一小时算一天”的形式主义调研"),
    )
    # 004: the Xiapu day "接待群众102名，受理问题86件" — people received, beside the problems.
    people_received = models.PositiveIntegerField(
        _("接待群众人数"), null=True, blank=True, help_text=_("信访接待时接待的群众人数")
    )
    contact_point = models.ForeignKey(
        "evaluations.ContactPoint",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("联系点"),
        help_text=_("到本人联系点开展工作时选择"),
    )
    purpose = models.CharField(_("目的"), max_length=300)
    summary = models.TextField(_("活动总结(民情日记)"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status, default=Status.PLANNED)
    rating_link = models.OneToOneField(
        RatingLink,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="visit",
        verbose_name=_("评价链接"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    long_run_reviewed_at = models.DateTimeField(_("长时段复核时间"), null=True, blank=True)
    long_run_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("长时段复核人"),
    )

    # A visit the organisation department recorded for a leader: who entered it (issue 17).
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("代录人"),
    )
    # 000 (八): 定期报送……情况和工作经验材料 — summaries the unit picks for its periodic report.
    picked_at = models.DateTimeField(_("选入报送材料时间"), null=True, blank=True)
    picked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("选入人"),
    )

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("下基层活动")
        verbose_name_plural = _("下基层活动")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="visit_dates_ordered"
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(summary=""), name="done_visit_has_summary"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.target_unit} · {self.start_date}"

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1

    @property
    def is_long_run(self) -> bool:
        return is_long_run(self.start_date, self.end_date)

    @property
    def awaits_review(self) -> bool:
        return self.is_long_run and self.long_run_reviewed_at is None

    def date_label(self) -> str:
        """The visit's day or days in the reader's language (2026年3月2日, Mar. 2, 2026)."""
        start = date_format(self.start_date, "DATE_FORMAT")
        if self.start_date == self.end_date:
            return start
        end = date_format(self.end_date, "MONTH_DAY_FORMAT")
        return gettext("%(start)s至%(end)s") % {"start": start, "end": end}


def is_long_run(start: dt.date, end: dt.date) -> bool:
    return (end - start).days + 1 >= LONG_RUN_DAYS


class VisitAmendment(models.Model):
    """A correction of a done visit's dates, hours or companions: never a silent edit, always
    a reason and who made it, read by 纪检 (SPEC §7)."""

    visit = models.ForeignKey(
        Visit, models.CASCADE, related_name="amendments", verbose_name=_("活动")
    )
    at = models.DateTimeField(_("更正时间"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, verbose_name=_("更正人")
    )
    reason = models.CharField(_("更正原因"), max_length=300)
    # {field: [before, after]} as shown to a reader (dates, hours, companions' names).
    changes = models.JSONField(_("更正内容"))

    class Meta:
        verbose_name = _("活动更正记录")
        verbose_name_plural = _("活动更正记录")
        ordering = ["visit", "at", "pk"]

    def __str__(self):
        return f"{self.visit} {self.at:%Y-%m-%d}"

    def rows(self) -> list[tuple[str, str, str]]:
        """(field label, before, after) of each change, for a reader."""
        labels = {"companions": _("同行干部")}
        for name in self.changes:
            if name not in labels:
                labels[name] = Visit._meta.get_field(name).verbose_name
        return [(str(labels[name]), *pair) for name, pair in self.changes.items()]
