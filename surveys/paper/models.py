"""Paper questionnaires (issue 19 §3): the printed batches of numbered sheets of a rating link,
and the staff entries of each returned sheet. A sheet counts only once two different accounts
typed the same answers, or a third decided where they differed (double entry)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PaperBatch(models.Model):
    """Sheets `first`..`last` of a link, printed with one questionnaire version."""

    class Size(models.TextChoices):
        A4 = "a4", "A4"
        A5 = "a5", "A5"

    link = models.ForeignKey(
        "surveys.RatingLink",
        models.PROTECT,
        related_name="paper_batches",
        verbose_name=_("评价链接"),
    )
    version = models.ForeignKey(
        "surveys.QuestionnaireVersion",
        models.PROTECT,
        related_name="paper_batches",
        verbose_name=_("问卷版本"),
    )
    first = models.PositiveIntegerField(_("起始编号"))
    last = models.PositiveIntegerField(_("截止编号"))
    size = models.CharField(_("纸张"), max_length=2, choices=Size, default=Size.A4)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("打印人")
    )
    printed_at = models.DateTimeField(_("打印时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("纸质问卷批次")
        verbose_name_plural = _("纸质问卷批次")
        ordering = ["link", "first"]
        constraints = [
            models.CheckConstraint(
                condition=Q(first__gte=1, last__gte=models.F("first")), name="paper_batch_range"
            ),
        ]

    def __str__(self):
        return f"{self.link.token} {self.first}-{self.last}"

    @property
    def size_count(self) -> int:
        return self.last - self.first + 1


class PaperEntry(models.Model):
    """One account's reading of one returned sheet: the first, the blind second, or the third
    look, by someone holding the sheet, that reads the fields where the first two differ or voids
    the sheet (作废: forged, illegible, two sheets with one number) with a reason."""

    class Round(models.IntegerChoices):
        FIRST = 1, _("第一遍录入")
        SECOND = 2, _("第二遍录入")
        THIRD = 3, _("第三方裁定")

    batch = models.ForeignKey(
        PaperBatch, models.PROTECT, related_name="entries", verbose_name=_("纸质问卷批次")
    )
    sheet = models.PositiveIntegerField(_("问卷编号"))
    round = models.PositiveSmallIntegerField(_("录入轮次"), choices=Round)
    answers = models.JSONField(_("录入内容"), default=dict)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    entered_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    # Set on the entry that made the sheet count: the agreeing second reading or the third look.
    response = models.OneToOneField(
        "surveys.Response",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="paper_entry",
        verbose_name=_("评价"),
    )
    # Set on a third look that voided the sheet: it never counts, and says why.
    void_reason = models.CharField(_("作废理由"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("纸质问卷录入")
        verbose_name_plural = _("纸质问卷录入")
        ordering = ["batch", "sheet", "round"]
        constraints = [
            # Each round of a sheet once; one account never makes two entries of one sheet.
            models.UniqueConstraint(fields=["batch", "sheet", "round"], name="paper_round_once"),
            models.UniqueConstraint(
                fields=["batch", "sheet", "entered_by"], name="paper_one_entry_per_account"
            ),
            # Only the third look voids a sheet, and a voided sheet never made a response.
            models.CheckConstraint(
                condition=Q(void_reason="") | Q(round=3, response__isnull=True),
                name="paper_void_by_third_look",
            ),
        ]

    def __str__(self):
        return f"{self.batch_id} #{self.sheet} r{self.round}"

    @property
    def is_void(self) -> bool:
        return bool(self.void_reason)
