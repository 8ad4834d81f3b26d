"""联系点 (001 §三): each leader's contact county/township, village, enterprise and households,
kept three years in principle; an earlier change needs a recorded reason."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evaluations.org.jurisdiction import JurisdictionQuerySet, user_scope
from evaluations.org.models import Cadre, OrgUnit

# 001 §三: 联系点要保持连续性，原则上一定三年不变.
CONTACT_POINT_MIN_YEARS = 3


class ContactPointQuerySet(JurisdictionQuerySet):
    unit_path_lookup = "cadre__unit__path"
    own_lookups = ("cadre",)

    def current(self, on=None):
        from django.utils import timezone

        on = on or timezone.localdate()
        return self.filter(Q(end__isnull=True) | Q(end__gt=on), start__lte=on)

    def visible_to(self, user):
        # A leader's points by the leader's unit; an organ's paired villages by the organ.
        path, own_cadre, everything = user_scope(user)
        if everything or own_cadre is not None or path is None:
            return super().visible_to(user)
        return self.filter(Q(cadre__unit__path__startswith=path) | Q(organ__path__startswith=path))


class ContactPoint(models.Model):
    class Kind(models.TextChoices):
        COUNTY = "county", _("县(市、区)")
        TOWNSHIP = "township", _("乡镇(街道)")
        VILLAGE = "village", _("村(社区)")
        ENTERPRISE = "enterprise", _("企业(项目)")
        HOUSEHOLD = "household", _("贫困户/困难户")

    cadre = models.ForeignKey(
        Cadre,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="contact_points",
        verbose_name=_("干部"),
    )
    organ = models.ForeignKey(
        OrgUnit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="paired_villages",
        verbose_name=_("结对机关单位"),
        help_text=_("县级以上机关单位结对帮扶村(社区)时填写"),
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Kind)
    unit = models.ForeignKey(
        OrgUnit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="contact_of",
        verbose_name=_("联系单位"),
    )
    household = models.CharField(_("帮扶户(化名或编号)"), max_length=60, blank=True)
    start = models.DateField(_("建立日期"))
    end = models.DateField(_("结束日期"), null=True, blank=True)
    change_reason = models.CharField(_("调整原因"), max_length=300, blank=True)
    # Who ended a point and opened its successor, and when: the audit trail of changes (001 §三).
    history = HistoricalRecords()

    objects = ContactPointQuerySet.as_manager()

    class Meta:
        verbose_name = _("联系点")
        verbose_name_plural = _("联系点")
        constraints = [
            models.CheckConstraint(
                condition=Q(cadre__isnull=False) | Q(organ__isnull=False),
                name="contact_point_has_owner",
            ),
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | ~Q(household=""), name="contact_point_has_target"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.unit or self.household}"
