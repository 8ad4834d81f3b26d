"""The problem ledger (问题台账): cases raised by residents, their handling and its history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from evaluations.org.jurisdiction import JurisdictionQuerySet
from evaluations.org.models import Cadre, OrgUnit
from evaluations.visits.models import Visit
from surveys import notes
from surveys.models import RatingLink, Response


class CaseQuerySet(JurisdictionQuerySet):
    unit_path_lookup = "unit__path"
    own_lookups = ("raised_with", "responsible")


class Case(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("已登记")
        DECLINED = "declined", _("不予受理")
        ACCEPTED = "accepted", _("已受理")
        SOLVED_ON_SPOT = "on_spot", _("当场解决")
        ASSIGNED = "assigned", _("领导包案办理中")
        ESCALATED = "escalated", _("已向上反映")
        CLOSED = "closed", _("已办结")

    class Source(models.TextChoices):
        VISIT = "visit", _("下基层活动中干部登记")
        RESIDENT = "resident", _("群众扫码反映")

    unit = models.ForeignKey(
        OrgUnit, models.PROTECT, related_name="cases", verbose_name=_("所在单位")
    )
    visit = models.ForeignKey(
        Visit, models.PROTECT, null=True, blank=True, related_name="cases", verbose_name=_("活动")
    )
    raised_with = models.ForeignKey(
        Cadre,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="cases_received",
        verbose_name=_("接待干部"),
    )
    source = models.CharField(_("来源"), max_length=10, choices=Source, default=Source.VISIT)
    response = models.OneToOneField(
        Response,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="case",
        verbose_name=_("来自评价"),
    )
    title = models.CharField(_("问题"), max_length=200)
    description = models.TextField(_("详细情况"), blank=True)
    raised_on = models.DateField(_("反映日期"))
    status = models.CharField(_("状态"), max_length=10, choices=Status, default=Status.RECEIVED)
    decline_reason = models.CharField(_("不予受理原因"), max_length=300, blank=True)
    responsible = models.ForeignKey(
        Cadre,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="cases_owned",
        verbose_name=_("包案领导"),
    )
    deadline = models.DateField(_("办结期限"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        OrgUnit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="escalations",
        verbose_name=_("上报单位"),
    )
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    result = models.TextField(_("办理结果"), blank=True)
    rating_link = models.OneToOneField(
        RatingLink,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="case",
        verbose_name=_("办理评价链接"),
    )
    # Only by the resident's explicit choice, masked to staff, deleted after the retention
    # period (个人信息保护法 art. 6, 7, 17, 47).
    contact_name = models.CharField(_("联系人(自愿)"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话(自愿)"), max_length=20, blank=True)
    contact_consent_at = models.DateTimeField(_("同意留联系方式时间"), null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("问题台账")
        verbose_name_plural = _("问题台账")
        ordering = ["-raised_on", "-pk"]

    def __str__(self):
        return self.title


class CaseEvent(models.Model):
    """Every status change of a case, kept whole (SPEC §2)."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="events", verbose_name=_("问题"))
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    status = models.CharField(_("状态"), max_length=10, choices=Case.Status)
    # What the person typed; what the system adds (the source, the leader and deadline, the unit
    # asked) is a message rendered in the reader's language (issue 18 §8, surveys/notes.py).
    note = models.CharField(_("说明"), max_length=300, blank=True)
    message = models.JSONField(_("系统说明"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, verbose_name=_("操作人")
    )

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["case", "at", "pk"]

    def __str__(self):
        return f"{self.case} {self.get_status_display()}"

    @property
    def shown(self) -> str:
        """The system's words in the reader's language, then what the person typed as typed."""
        parts = [notes.text(self.message)] if self.message else []
        return gettext("；").join(parts + ([self.note] if self.note else []))
