"""Ballot boxes, one-time admission codes and secret ballots (无记名投票).

The code row and the ballot row share nothing: an `AdmissionCode` knows its box, group, printed
serial and a keyed hash of the code, never a ballot or a time of use; a `Ballot` knows its box,
its rater group and its answers, never a code, voter, device, address or time. Its primary key
is random, and closing the box rewrites every ballot under a fresh random id in id order, so
neither ids nor row order tell the order of voting (surveys/ballots/services.py, docs/).

A receipt is what a voter keeps to check that the ballot was counted: a short random string,
drawn independently of the code, the voter, the time and the ballot, kept in its box's
`ReceiptBook` (one sorted set, no order of voting); after the close the box publishes the list.
"""

import secrets
import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from surveys import notes


class BallotBox(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("筹备中")
        OPEN = "open", _("投票中")
        CLOSED = "closed", _("已结束")

    title = models.CharField(_("标题"), max_length=200)
    status = models.CharField(_("状态"), max_length=10, choices=Status, default=Status.DRAFT)
    opens_at = models.DateTimeField(_("开始投票时间"), null=True, blank=True)
    closes_at = models.DateTimeField(_("截止投票时间"), null=True, blank=True)
    # What the ballot shows, written by the owning app so the engine needs nothing else:
    # {"intro": note (surveys.notes), "groups": {code: name},
    #  "items": [{"key": str, "label": str, "note": str, "choices": [{"value", "label": note}]}]}
    options = models.JSONField(_("选票内容"), default=dict, blank=True)

    class Meta:
        verbose_name = _("票箱")
        verbose_name_plural = _("票箱")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True)
                | Q(opens_at__isnull=True)
                | Q(closes_at__gt=models.F("opens_at")),
                name="ballotbox_window_ordered",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def voting_state(self, now=None) -> str:
        """'open', 'draft', 'not_yet', 'expired' or 'closed'."""
        now = now or timezone.now()
        if self.status != self.Status.OPEN:
            return self.status
        if self.opens_at and now < self.opens_at:
            return "not_yet"
        if self.closes_at and now >= self.closes_at:
            return "expired"
        return "open"

    def intro(self) -> str:
        """The words above the ballot, in the voter's language (surveys.notes)."""
        return notes.text((self.options or {}).get("intro", ""))

    def group_name(self, code: str) -> str:
        return (self.options or {}).get("groups", {}).get(code, code)


class AdmissionCode(models.Model):
    """One printed slip. Deliberately without a time of use and without any ballot reference."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("已发放")
        USED = "used", _("已投票")
        VOID = "void", _("已作废")

    box = models.ForeignKey(BallotBox, models.PROTECT, related_name="codes", verbose_name=_("票箱"))
    group = models.CharField(_("评议组"), max_length=20)
    serial = models.PositiveIntegerField(_("票号"))
    code_hash = models.CharField(_("投票码摘要"), max_length=64, unique=True)
    status = models.CharField(_("状态"), max_length=8, choices=Status, default=Status.ISSUED)

    class Meta:
        verbose_name = _("投票码")
        verbose_name_plural = _("投票码")
        constraints = [
            models.UniqueConstraint(fields=["box", "serial"], name="admission_serial_unique"),
        ]

    def __str__(self):
        return f"{self.box_id}-{self.serial:04d}"


def new_ballot_id() -> uuid.UUID:
    return uuid.uuid4()


class Ballot(models.Model):
    """A secret ballot: no code, voter, device, address or time; the id is random."""

    id = models.UUIDField(primary_key=True, default=new_ballot_id, editable=False)
    box = models.ForeignKey(
        BallotBox, models.PROTECT, related_name="ballots", verbose_name=_("票箱")
    )
    group = models.CharField(_("评议组"), max_length=20)
    answers = models.JSONField(_("选择"), default=dict)

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
        # Always read in the order of the random id, never in insertion order.
        ordering = ["id"]

    def __str__(self):
        return str(self.id)


# 8 characters from the 31 of the codes (no 0/O, 1/I/L): 31⁸ ≈ 8.5·10¹¹, short enough to note down.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECEIPT_LENGTH = 8


def new_receipt_value() -> str:
    """Drawn from the operating system's random source; derived from nothing."""
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


def display_receipt(value: str) -> str:
    return f"{value[:4]}-{value[4:]}"


class ReceiptBook(models.Model):
    """The receipts of one box, kept as one sorted, space-separated set in a single row.

    A row per receipt would be stored in the order of voting (SQLite's rowid, PostgreSQL's ctid),
    beside ballots stored in the same order, so receipt N would name ballot N to anyone reading the
    tables while the box is open. One sorted set has no order to read: it says which receipts
    exist, never which came with which ballot. The row holds no code, ballot, voter or time."""

    box = models.OneToOneField(
        BallotBox,
        models.PROTECT,
        primary_key=True,
        related_name="receipt_book",
        verbose_name=_("票箱"),
    )
    # " K7QMXR9T M3AB22CD " : sorted, with a space on both sides of every value for exact lookups.
    values = models.TextField(_("回执"), default=" ")

    class Meta:
        verbose_name = _("选票回执")
        verbose_name_plural = _("选票回执")

    def __str__(self):
        return f"{self.box} ({len(self.as_list())})"

    def as_list(self) -> list[str]:
        return self.values.split()

    def with_value(self, value: str) -> str:
        return " " + " ".join(sorted([*self.as_list(), value])) + " "
