"""Visits down to the grassroots (下基层活动)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evaluations.org.jurisdiction import JurisdictionQuerySet
from evaluations.org.models import Cadre, OrgUnit
from surveys.models import RatingLink


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

    def date_label(self) -> str:
        if self.start_date == self.end_date:
            return f"{self.start_date:%Y年%m月%d日}"
        return f"{self.start_date:%Y年%m月%d日}至{self.end_date:%m月%d日}"
