"""Democratic appraisal sessions (民主评议党员, 民主测评): subjects, rater groups, an audit log.

The ballots themselves live in the response engine (surveys.BallotBox), which knows nothing of
branches or cadres; a session owns one box and writes onto it what the ballot shows.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from evaluations.appraisal import scales
from evaluations.org.jurisdiction import JurisdictionQuerySet
from evaluations.org.models import Cadre, OrgUnit
from surveys import notes
from surveys.ballots.models import BallotBox


def validate_fraction(value: str) -> None:
    try:
        scales.parse_fraction(value)
    except (ValueError, ZeroDivisionError):
        raise ValidationError(
            _("请填写0到1之间的比例，如 1/2、1/3、0.5 或 50%。"), code="fraction"
        ) from None


def default_points() -> dict:
    return dict(scales.DEFAULT_POINTS)


def year_of_period(period: str, fallback: int | None = None) -> int:
    """The year a session appraises: the first year written in its period ("2025年度" → 2025),
    else `fallback`, else this year."""
    found = re.search(r"(19|20)\d\d", period or "")
    if found:
        return int(found.group())
    return fallback or timezone.localdate().year


class AppraisalSessionQuerySet(JurisdictionQuerySet):
    unit_path_lookup = "branch__path"


class AppraisalSession(models.Model):
    Kind = scales.Kind
    Scale = scales.Scale

    branch = models.ForeignKey(
        OrgUnit, models.PROTECT, related_name="appraisal_sessions", verbose_name=_("党支部（单位）")
    )
    period = models.CharField(_("评议期间"), max_length=40, help_text=_("如：2026年度"))
    # Issue 12 §1: the year appraised decides which annual assessment the session feeds.
    year = models.PositiveSmallIntegerField(
        _("评议年度"), blank=True, help_text=_("本次评议所评的年度；留空则取评议期间中的年份")
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Kind, default=Kind.MEMBERS)
    scale = models.CharField(_("等次"), max_length=12, choices=Scale, default=Scale.MEMBERS)
    box = models.OneToOneField(
        BallotBox, models.PROTECT, related_name="appraisal", verbose_name=_("票箱")
    )
    quorum_fraction = models.CharField(
        _("法定人数比例"),
        max_length=10,
        default=scales.DEFAULT_QUORUM,
        validators=[validate_fraction],
        help_text=_("投票人数须超过应参加人数的这一比例（党员大会须半数以上到会）"),
    )
    flag_fraction = models.CharField(
        _("需组织认定的比例"),
        max_length=10,
        default=scales.DEFAULT_FLAG,
        validators=[validate_fraction],
        help_text=_("不合格（不称职、差）票超过有效票的这一比例时，提示需组织认定"),
    )
    excellent_cap_fraction = models.CharField(
        _("优秀比例上限"),
        max_length=10,
        default=scales.DEFAULT_EXCELLENT_CAP,
        blank=True,
        validators=[validate_fraction],
        help_text=_("优秀一般不超过参加评定人数的三分之一；留空表示不设上限"),
    )
    excellent_majority_fraction = models.CharField(
        _("建议优秀的得票比例"),
        max_length=10,
        default=scales.DEFAULT_EXCELLENT_MAJORITY,
        validators=[validate_fraction],
        help_text=_("优秀票超过有效票的这一比例，视为票决建议优秀（仅作参考）"),
    )
    grade_points = models.JSONField(_("等次分值"), default=default_points)
    result = models.JSONField(_("计票结果"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True, editable=False)

    objects = AppraisalSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("民主评议")
        verbose_name_plural = _("民主评议")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.year is None:
            self.year = year_of_period(self.period)
        super().save(*args, **kwargs)

    @property
    def title(self) -> str:
        # Run together in Chinese (城东社区2026年度民主评议党员); spaced in English.
        return gettext("%(branch)s%(period)s%(kind)s") % {
            "branch": self.branch.name,
            "period": self.period,
            "kind": self.get_kind_display(),
        }

    @property
    def status(self) -> str:
        return self.box.status

    @property
    def is_draft(self) -> bool:
        return self.box.status == BallotBox.Status.DRAFT

    @property
    def is_closed(self) -> bool:
        return self.box.status == BallotBox.Status.CLOSED


class AppraisalSubject(models.Model):
    """Someone appraised, or a leadership team as a whole (is_team)."""

    session = models.ForeignKey(
        AppraisalSession, models.CASCADE, related_name="subjects", verbose_name=_("评议")
    )
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    name = models.CharField(_("姓名（名称）"), max_length=60)
    note = models.CharField(_("职务或说明"), max_length=100, blank=True)
    cadre = models.ForeignKey(
        Cadre,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="appraisals",
        verbose_name=_("干部"),
    )
    is_team = models.BooleanField(_("领导班子"), default=False)
    # SPEC §5: 预备党员 take part and vote but receive no grade, so they are not on the ballot.
    is_probationary = models.BooleanField(_("预备党员"), default=False)
    final_grade = models.CharField(_("评定等次"), max_length=20, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("评定人"),
    )
    decided_at = models.DateTimeField(_("评定时间"), null=True, blank=True)
    decision_note = models.CharField(_("评定说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("评议对象")
        verbose_name_plural = _("评议对象")
        ordering = ["session", "position", "pk"]

    def __str__(self):
        return self.name

    @property
    def key(self) -> str:
        """The item key of this subject on the ballot."""
        return f"s{self.pk}"

    @property
    def is_graded(self) -> bool:
        return not self.is_probationary

    def scale(self, session_scale: str) -> str:
        return scales.TEAM_SCALE if self.is_team else session_scale


class RaterGroup(models.Model):
    """A group of raters (班子成员, 中层干部, 党员, 群众代表) with its electorate and weight."""

    session = models.ForeignKey(
        AppraisalSession, models.CASCADE, related_name="groups", verbose_name=_("评议")
    )
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    code = models.CharField(_("代码"), max_length=20)
    name = models.CharField(_("名称"), max_length=40)
    voters = models.PositiveIntegerField(_("应参加人数"))
    weight = models.DecimalField(_("权重"), max_digits=6, decimal_places=3, default=1)

    class Meta:
        verbose_name = _("评议组")
        verbose_name_plural = _("评议组")
        ordering = ["session", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "code"], name="rater_group_code_unique"),
            models.CheckConstraint(condition=models.Q(weight__gte=0), name="rater_group_weight"),
        ]

    def __str__(self):
        return self.name


class AppraisalLog(models.Model):
    """What was done to a session and by whom; never anything about a vote."""

    class Action(models.TextChoices):
        CREATED = "created", _("创建")
        EDITED = "edited", _("修改设置")
        ISSUED = "issued", _("发放投票码")
        VOIDED = "voided", _("作废投票码")
        REISSUED = "reissued", _("补发投票码")
        OPENED = "opened", _("开始投票")
        CLOSED = "closed", _("结束投票")
        GRADED = "graded", _("评定等次")
        REFUSED = "refused", _("拒绝的操作")

    session = models.ForeignKey(
        AppraisalSession, models.CASCADE, related_name="log", verbose_name=_("评议")
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    action = models.CharField(_("操作"), max_length=10, choices=Action)
    # Entries before issue 18 §8 kept their words in `detail`; newer ones keep a message and its
    # parameters (surveys/notes.py), read in the reader's language.
    detail = models.CharField(_("说明"), max_length=500, blank=True)
    message = models.JSONField(_("说明（消息）"), default=dict, blank=True)

    class Meta:
        verbose_name = _("评议日志")
        verbose_name_plural = _("评议日志")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"

    @property
    def shown(self) -> str:
        return notes.text(self.message) if self.message else self.detail
