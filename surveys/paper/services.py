"""Printing numbered sheets and the double entry of returned ones (issue 19 §3).

A returned sheet is typed in by one account, then blind by a second, different account; the two
readings are compared field by field. Only agreeing readings (or what a third account, holding the
sheet, reads in the fields that differ) become a Response: channel paper, the sheet as its device,
so the database keeps one response per sheet per link, and the first entrant as the accountable
helper. The third may instead void the sheet (作废), which then never counts."""

import datetime as dt
import enum
import uuid

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from surveys.models import Flag, Question, RatingLink, Response
from surveys.paper.models import PaperBatch, PaperEntry
from surveys.services import Outcome, submit_response
from surveys.versions import questions_of

# At most this many sheets in one printed batch (one PDF a printer takes in one go).
MAX_BATCH = 500
# Sheets come back by hand after the meeting: one entered up to this long after the link's window
# (SPEC §2: a rating link has a validity window) is counted as usual; a later one is kept, never
# lost (SPEC §4), and waits for review as `late_paper`.
ENTRY_GRACE = dt.timedelta(days=7)
# The namespace of the submission ids of paper responses: one id per link and sheet, so a second
# storing of the same sheet is a repeat, never a second response.
PAPER_NAMESPACE = uuid.UUID("6f1d3c1e-5b9a-4a55-9d0e-0c6b1f0a7a19")


class PaperError(Exception):
    pass


class Result(enum.Enum):
    FIRST = "first"  # the first reading is kept; a second account must enter the sheet
    STORED = "stored"  # the readings agree (or the third look decided): the response counts
    DISAGREE = "disagree"  # the readings differ: the sheet waits for a third look


def device_of_sheet(sheet: int) -> str:
    return f"paper-sheet:{sheet}"


@transaction.atomic
def print_batch(*, link: RatingLink, count: int, size: str, user) -> PaperBatch:
    """Record `count` new sheets of the link, numbered on after its last batch (1..count first)."""
    link = RatingLink.objects.select_for_update().get(pk=link.pk)
    if not 1 <= count <= MAX_BATCH:
        raise PaperError(_("每批打印 1 至 %(max)s 份。") % {"max": MAX_BATCH})
    if link.state() not in ("open", "not_yet"):
        raise PaperError(_("评价链接已关闭，不能再打印纸质问卷。"))
    version = link.questionnaire.latest_published()
    if version is None:
        raise PaperError(_("问卷还没有已发布的版本。"))
    last = link.paper_batches.aggregate(last=Max("last"))["last"] or 0
    return PaperBatch.objects.create(
        link=link, version=version, first=last + 1, last=last + count, size=size, printed_by=user
    )


def batch_of(link: RatingLink, sheet: int) -> PaperBatch | None:
    """The printed batch that holds sheet number `sheet` of the link: only printed sheets exist."""
    return (
        PaperBatch.objects.filter(link=link, first__lte=sheet, last__gte=sheet)
        .select_related("link", "version")
        .first()
    )


def normalised(answers: dict) -> dict:
    """Readings compare as typed, but blank and spacing are no difference."""
    return {code: " ".join(str(value or "").split()) for code, value in answers.items()}


def differences(first: dict, second: dict) -> list[str]:
    """The question codes where two readings of a sheet differ."""
    a, b = normalised(first), normalised(second)
    return [code for code in dict.fromkeys([*a, *b]) if a.get(code, "") != b.get(code, "")]


def sheet_entries(batch: PaperBatch, sheet: int) -> dict[int, PaperEntry]:
    entries = PaperEntry.objects.filter(batch=batch, sheet=sheet).select_related("entered_by")
    return {entry.round: entry for entry in entries}


def _check_open(link: RatingLink) -> None:
    """Caps and a switched-off link refuse paper as they refuse phones."""
    state = link.state()
    if state == "disabled":
        raise PaperError(_("评价链接已停用，纸质问卷不能录入。"))
    if state == "full":
        raise PaperError(_("评价数已达上限，纸质问卷不能再录入。"))


@transaction.atomic
def enter_sheet(*, link: RatingLink, sheet: int, answers: dict, user) -> Result:
    """One account's reading of one returned sheet. Never shows or reveals the other reading."""
    link = RatingLink.objects.select_for_update().get(pk=link.pk)
    batch = batch_of(link, sheet)
    if batch is None:
        raise PaperError(_("第 %(sheet)s 号问卷从未打印，不能录入。") % {"sheet": sheet})
    entries = sheet_entries(batch, sheet)
    if any(entry.response_id for entry in entries.values()):
        raise PaperError(_("第 %(sheet)s 号问卷已经录入并计入。") % {"sheet": sheet})
    if any(entry.is_void for entry in entries.values()):
        raise PaperError(_("第 %(sheet)s 号问卷已作废，不能录入。") % {"sheet": sheet})
    if any(entry.entered_by_id == user.pk for entry in entries.values()):
        raise PaperError(
            _("您已录入过第 %(sheet)s 号问卷，须由另一个账号录入。") % {"sheet": sheet}
        )
    if PaperEntry.Round.SECOND in entries:
        raise PaperError(
            _("第 %(sheet)s 号问卷两次录入不一致，正等待第三方核对。") % {"sheet": sheet}
        )
    _check_open(link)
    answers = normalised(answers)
    if blank(batch.version, answers):
        raise PaperError(
            _("第 %(sheet)s 号问卷的必答题都没有回答，不是一份评价，不能录入。") % {"sheet": sheet}
        )
    if not entries:
        PaperEntry.objects.create(
            batch=batch, sheet=sheet, round=PaperEntry.Round.FIRST, answers=answers, entered_by=user
        )
        return Result.FIRST
    second = PaperEntry.objects.create(
        batch=batch, sheet=sheet, round=PaperEntry.Round.SECOND, answers=answers, entered_by=user
    )
    first = entries[PaperEntry.Round.FIRST]
    if differences(first.answers, answers):
        return Result.DISAGREE
    _store(batch, sheet, answers, helper=first.entered_by, entry=second)
    return Result.STORED


def blank(version, answers: dict) -> bool:
    """A sheet none of whose required questions is answered holds no rating: it is never
    entered, as the web form never sends one (the outside attack: a blank sheet entered twice
    counted in n, so two real answers showed under the n < 3 rule)."""
    return not any(answers.get(q.code) for q in questions_of(version) if q.required)


def _pending(batch: PaperBatch, sheet: int, user) -> tuple[PaperEntry, PaperEntry]:
    """The two differing readings of a sheet that waits for a third look by `user`, who made
    neither of them."""
    entries = sheet_entries(batch, sheet)
    first, second = entries.get(PaperEntry.Round.FIRST), entries.get(PaperEntry.Round.SECOND)
    if first is None or second is None or second.response_id or PaperEntry.Round.THIRD in entries:
        raise PaperError(_("这份问卷不在待核对之列。"))
    if user.pk in (first.entered_by_id, second.entered_by_id):
        raise PaperError(_("录入过这份问卷的账号不能核对它，须由第三个账号核对。"))
    return first, second


def readable(q: Question, value: str) -> bool:
    """A value a sheet can hold for `q`: a printed box's choice, written text that fits, or
    nothing (a resident may leave any question blank on paper, as the entry form allows)."""
    if not value:
        return True
    if q.kind == Question.Kind.TEXT:
        return len(value) <= q.max_length
    return any(c.value == value for c in q.choices.all())


@transaction.atomic
def resolve_sheet(*, batch: PaperBatch, sheet: int, decided: dict, user) -> Result:
    """The third look: `decided` gives, for every field where the two readings differ, what the
    third account reads on the sheet itself (either reading, another answer, or nothing)."""
    RatingLink.objects.select_for_update().get(pk=batch.link_id)
    first, second = _pending(batch, sheet, user)
    differing = differences(first.answers, second.answers)
    questions = {q.code: q for q in questions_of(batch.version)}
    decided = normalised(decided)
    if set(decided) != set(differing) or not all(
        code in questions and readable(questions[code], decided[code]) for code in differing
    ):
        raise PaperError(_("请对每一处不一致填写纸面上的答案。"))
    _check_open(batch.link)
    answers = {**normalised(first.answers), **decided}
    if blank(batch.version, answers):
        raise PaperError(_("这样核定，必答题都没有回答；纸面确实空白的，请作废。"))
    third = PaperEntry.objects.create(
        batch=batch, sheet=sheet, round=PaperEntry.Round.THIRD, answers=answers, entered_by=user
    )
    _store(batch, sheet, answers, helper=first.entered_by, entry=third)
    return Result.STORED


@transaction.atomic
def void_sheet(*, batch: PaperBatch, sheet: int, reason: str, user) -> PaperEntry:
    """The third look voids the sheet (作废: forged, illegible, two sheets with one number): it
    never counts and can no longer be entered; who, when and why stay as its third entry."""
    RatingLink.objects.select_for_update().get(pk=batch.link_id)
    _pending(batch, sheet, user)
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise PaperError(_("请写明作废的理由。"))
    return PaperEntry.objects.create(
        batch=batch,
        sheet=sheet,
        round=PaperEntry.Round.THIRD,
        answers={},
        void_reason=reason[:200],
        entered_by=user,
    )


def late_by(link: RatingLink, now: dt.datetime) -> int | None:
    """Whole days a sheet entered `now` comes after the window and its grace, or None."""
    if link.valid_until is None or now <= link.valid_until + ENTRY_GRACE:
        return None
    return max(1, (now - link.valid_until).days)


def _store(batch: PaperBatch, sheet: int, answers: dict, *, helper, entry: PaperEntry) -> None:
    link = batch.link
    submission_id = uuid.uuid5(PAPER_NAMESPACE, f"{link.pk}:{sheet}")
    outcome = submit_response(
        link_id=link.pk,
        token=link.token,
        version=batch.version,
        submission_id=submission_id,
        device_id=device_of_sheet(sheet),
        cleaned={code: value for code, value in answers.items() if value},
        channel=Response.Channel.PAPER,
        helper=helper,
    )
    if outcome is Outcome.CLOSED:
        raise PaperError(_("本次评价已关闭或已达到人数上限，不能再录入问卷。"))
    if outcome is not Outcome.STORED:
        raise PaperError(_("第 %(sheet)s 号问卷已经录入并计入。") % {"sheet": sheet})
    response = Response.objects.get(link=link, submission_id=submission_id)
    entry.response = response
    entry.save(update_fields=["response"])
    days = late_by(link, timezone.now())
    if days is not None:
        Flag.objects.create(
            response=response, code="late_paper", cluster="late_paper", evidence={"days": days}
        )
        response.flags = [*response.flags, "late_paper"]
        response.review = Response.Review.FLAGGED
        response.save(update_fields=["flags", "review"])
