"""Planning the year ahead: each cadre's annual research plan (调研课题 and days per quarter)
and the weekly reception rota a county keeps (001 §一: 每周均有一名常委或副市、县(区)长接访群众)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evaluations.org.jurisdiction import JurisdictionQuerySet
from evaluations.org.models import Cadre, OrgUnit

QUARTERS = ("q1_days", "q2_days", "q3_days", "q4_days")


class PlanQuerySet(JurisdictionQuerySet):
    unit_path_lookup = "cadre__unit__path"
    own_lookups = ("cadre",)


class ResearchPlan(models.Model):
    """One research topic of a cadre's year, with the days planned for it in each quarter."""

    cadre = models.ForeignKey(
        Cadre, models.PROTECT, related_name="research_plans", verbose_name=_("干部")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    topic = models.CharField(_("调研课题"), max_length=200)
    q1_days = models.PositiveSmallIntegerField(_("一季度计划天数"), default=0)
    q2_days = models.PositiveSmallIntegerField(_("二季度计划天数"), default=0)
    q3_days = models.PositiveSmallIntegerField(_("三季度计划天数"), default=0)
    q4_days = models.PositiveSmallIntegerField(_("四季度计划天数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("填报人"),
    )
    objects = PlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("年度调研计划")
        verbose_name_plural = _("年度调研计划")
        ordering = ["year", "cadre", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cadre", "year", "topic"], name="one_plan_per_topic")
        ]

    def __str__(self):
        return f"{self.cadre} {self.year} {self.topic}"

    @property
    def days(self) -> list[int]:
        return [getattr(self, q) for q in QUARTERS]


class RotaQuerySet(JurisdictionQuerySet):
    unit_path_lookup = "unit__path"
    own_lookups = ("cadre",)


class RotaSlot(models.Model):
    """The leader who receives the public in one week for a city or county (one per week)."""

    unit = models.ForeignKey(
        OrgUnit, models.PROTECT, related_name="rota_slots", verbose_name=_("单位")
    )
    week = models.DateField(_("周（周一）"))
    cadre = models.ForeignKey(
        Cadre, models.PROTECT, related_name="rota_slots", verbose_name=_("接访领导")
    )
    note = models.CharField(_("地点或说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("安排人"),
    )
    objects = RotaQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("接访轮值")
        verbose_name_plural = _("接访轮值")
        ordering = ["unit", "week"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "week"], name="one_receiver_per_week")
        ]

    def __str__(self):
        return f"{self.unit} {self.week} {self.cadre}"
