"""Reminders (issue 17 §4): an in-app inbox that needs no mail server; e-mail is optional."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from surveys import notes


class Reminder(models.Model):
    class Kind(models.TextChoices):
        CASE_DUE = "case_due", _("问题办结期限将到")
        PERIOD_SHORT = "period_short", _("本期即将结束，指标未完成")
        VOTE_CLOSING = "vote_closing", _("民主评议今天截止投票")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="reminders",
        verbose_name=_("收件人"),
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind)
    # One reminder per user and occasion (a case and its deadline, a rule and its period, a
    # session and its closing day): a second daily run adds nothing.
    key = models.CharField(_("事由"), max_length=100)
    # Reminders written before issue 18 §8 kept their words here; newer ones keep a message and
    # its parameters (surveys/notes.py) so the inbox reads in the reader's language.
    text = models.CharField(_("内容"), max_length=300, blank=True)
    message = models.JSONField(_("内容（消息）"), default=dict, blank=True)
    url = models.CharField(_("办理页面"), max_length=200)
    created_at = models.DateTimeField(_("提醒时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_reminder_per_occasion")
        ]

    def __str__(self):
        return self.shown

    @property
    def shown(self) -> str:
        return notes.text(self.message) if self.message else self.text
