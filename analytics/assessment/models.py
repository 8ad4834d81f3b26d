"""What analytics writes: assessment runs, kept with their inputs, and their per-cadre results."""

import json

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations.models import AssessmentCycle, Cadre, Grade


class AssessmentRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("计算中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    cycle = models.ForeignKey(
        AssessmentCycle, models.PROTECT, related_name="runs", verbose_name=_("考核")
    )
    status = models.CharField(_("状态"), max_length=8, choices=Status, default=Status.QUEUED)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    progress_done = models.PositiveIntegerField(_("已完成步数"), default=0)
    progress_total = models.PositiveIntegerField(_("总步数"), default=0)
    # Weights, bands, caps and the figures each cadre's composite was built from.
    inputs = models.JSONField(_("输入"), default=dict)
    fingerprint = models.CharField(_("输入指纹"), max_length=64, blank=True)
    error = models.TextField(_("错误"), blank=True)
    # Last sign of life: set on creation and at every step; a live run silent for longer than
    # settings.ASSESSMENT_STALE_MINUTES is marked failed (issue 12 §10).
    progress_at = models.DateTimeField(_("最近进展"), default=timezone.now)

    class Meta:
        verbose_name = _("考核计算")
        verbose_name_plural = _("考核计算")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A restarted worker or a double click never leaves two live runs of one cycle.
            models.UniqueConstraint(
                fields=["cycle"],
                condition=models.Q(status__in=["queued", "running"]),
                name="one_live_run_per_cycle",
            )
        ]

    def __str__(self):
        return f"{self.cycle} #{self.pk}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE

    @property
    def percent(self) -> int:
        return int(100 * self.progress_done / self.progress_total) if self.progress_total else 0


class WordsEncoder(json.JSONEncoder):
    """JSON that keeps Chinese as characters instead of \\u escapes: the same value once
    stored, but a run's 2,000 results are written through PostgreSQL arrays, whose text
    escapes every backslash one by one (a third of a run's final step, issue 16 §2)."""

    def __init__(self, *args, **kwargs):
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


class AssessmentResult(models.Model):
    run = models.ForeignKey(
        AssessmentRun, models.CASCADE, related_name="results", verbose_name=_("计算")
    )
    cadre = models.ForeignKey(Cadre, models.PROTECT, related_name="+", verbose_name=_("干部"))
    category = models.CharField(_("类别"), max_length=8)
    satisfaction = models.FloatField(_("群众满意度"), null=True)
    appraisal = models.FloatField(_("民主测评"), null=True)
    compliance = models.FloatField(_("指标完成"), null=True)
    cases = models.FloatField(_("问题办理"), null=True)
    composite = models.FloatField(_("综合得分"), null=True)
    suggested_grade = models.CharField(_("建议等次"), max_length=12, choices=Grade)
    reasons = models.JSONField(_("理由"), default=list, encoder=WordsEncoder)

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        ordering = ["run", "-composite"]
        constraints = [
            models.UniqueConstraint(fields=["run", "cadre"], name="one_result_per_run_cadre")
        ]

    def __str__(self):
        return f"{self.cadre} {self.suggested_grade}"


LIVE = (AssessmentRun.Status.QUEUED, AssessmentRun.Status.RUNNING)
