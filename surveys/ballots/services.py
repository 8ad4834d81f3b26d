"""State changes of ballot boxes: codes issued and voided, boxes opened and closed, votes cast.

Secrecy by construction: casting a vote marks the code row used and inserts a ballot row that
shares nothing with it (no foreign key, no time, a random id). Closing a box rewrites all its
ballots in one transaction under fresh random ids, inserted in id order, so that row ids,
physical row order (SQLite's rowid, PostgreSQL's ctid) and PostgreSQL's xmin no longer reflect
the order or the transaction of voting. What a live observer of the database could still
correlate is stated in docs/appraisal.md. A vote also adds a random receipt for the voter to the
box's sorted set of receipts, which has no order and shares nothing with the code or the ballot.
"""

from django.db import connection, transaction
from django.db.models import F, Max
from django.utils.translation import gettext_lazy as _

from surveys.ballots import codes as codebook
from surveys.ballots import throttle
from surveys.ballots.models import (
    RECEIPT_ALPHABET,
    RECEIPT_LENGTH,
    AdmissionCode,
    Ballot,
    BallotBox,
    ReceiptBook,
    new_receipt_value,
)
from surveys.errors import SurveyError

MESSAGES = {
    "typo_length": _("投票码应为10位（例如 K7QM3-XR9TC），请核对选票条后重新输入。"),
    "typo_lookalike": _("投票码中没有数字0、1和字母O、I、L，请核对选票条后重新输入。"),
    "typo_character": _("投票码只由数字和大写字母组成，请核对选票条后重新输入。"),
    "typo_check": _(
        "投票码有误：校验位不符，可能有字符抄错或前后颠倒。请核对选票条后重新输入，"
        "本次输入不计入尝试次数。"
    ),
    "unknown": _("没有这个投票码，请核对选票条。多次输入错误的投票码将暂停输入10分钟。"),
    "too_many": _(
        "输入错误的投票码次数过多，请10分钟后再试。如果投票码确实无法使用，请联系党支部。"
    ),
    "used": _("这个投票码已经投过票。每个投票码只能使用一次。"),
    "void": _("这个投票码已作废。如果选票条遗失后已补发，请使用新的选票条。"),
    "draft": _("评议尚未开始投票，请按通知的时间投票。"),
    "not_yet": _("投票尚未开始，请在开始时间以后投票。"),
    "expired": _("投票已经截止，不能再投票。"),
    "closed": _("本次评议已经结束，不能再投票。"),
    "incomplete": _("请对每一位评议对象选择一个等次后再提交。"),
    "box_closed": _("票箱已关闭，不能再更改。"),
    "not_draft": _("投票开始后不能再修改选票内容。"),
    "not_voidable": _("票号 %(serials)s 不是本票箱未使用的投票码，未作废任何投票码。"),
    "receipt_format": _("回执应为8位数字和大写字母（例如 K7QM-XR9T），请核对后重新输入。"),
    "receipt_unknown": _("没有找到这个回执，请核对后重新输入。"),
    "receipt_too_many": _("输入错误的回执次数过多，请10分钟后再试。这不影响投票。"),
}


class BallotError(SurveyError):
    """The ballot part's error; `code` is a key of MESSAGES."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        message = MESSAGES[code]
        Exception.__init__(self, str(message) % params if params else str(message))


# --- the voter's side ------------------------------------------------------------------


def _normalized(text: str) -> str:
    try:
        return codebook.normalize(text)
    except codebook.CodeFormatError as error:
        raise BallotError(f"typo_{error.kind}") from None


def admit(text: str, *, ip: str) -> AdmissionCode:
    """The slip behind a typed or scanned code, if it may vote now; else a BallotError.
    Typos are caught by the check character and do not count; unknown codes count as guesses.
    A valid code is looked up before any limit: a limit stops guessers, never a voter with a
    real slip, however many guesses others made from the same address or the whole site."""
    code = _normalized(text)
    slip = (
        AdmissionCode.objects.select_related("box")
        .filter(code_hash=codebook.code_hash(code))
        .first()
    )
    if slip is None:
        tag = codebook.tag_of(code)
        if throttle.blocked(ip, tag=tag):
            raise BallotError("too_many")
        throttle.record_guess(ip, tag=tag)
        raise BallotError("unknown")
    _check_can_vote(slip, slip.box)
    return slip


def _check_can_vote(slip: AdmissionCode, box: BallotBox) -> None:
    state = box.voting_state()
    if state != "open":
        raise BallotError(state)
    if slip.status != AdmissionCode.Status.ISSUED:
        raise BallotError(slip.status)


def clean_answers(options: dict, answers: dict) -> dict:
    """Exactly one allowed value for every item of the ballot, nothing else."""
    clean = {}
    for item in options.get("items", []):
        allowed = {c["value"] for c in item["choices"]}
        value = answers.get(item["key"])
        if value not in allowed:
            raise BallotError("incomplete")
        clean[item["key"]] = value
    return clean


def _box_for_vote(box_id: int) -> BallotBox:
    """The box, share-locked on PostgreSQL so that closing waits for votes in flight and no vote
    lands after the close (SQLite's IMMEDIATE transactions already serialise all writers)."""
    if connection.vendor == "postgresql":
        table = BallotBox._meta.db_table
        return BallotBox.objects.raw(f"SELECT * FROM {table} WHERE id = %s FOR SHARE", [box_id])[0]
    return BallotBox.objects.get(pk=box_id)


@transaction.atomic
def cast_ballot(*, code: str, answers: dict) -> str:
    """Use the code once and store the ballot; the two rows share nothing. Returns the voter's
    receipt, a random value stored beside the ballot but linked to neither row."""
    slip = (
        AdmissionCode.objects.select_for_update()
        .filter(code_hash=codebook.code_hash(_normalized(code)))
        .first()
    )
    if slip is None:
        raise BallotError("unknown")
    box = _box_for_vote(slip.box_id)
    _check_can_vote(slip, box)
    clean = clean_answers(box.options, answers)
    AdmissionCode.objects.filter(pk=slip.pk).update(status=AdmissionCode.Status.USED)
    Ballot.objects.create(box=box, group=slip.group, answers=clean)
    return _new_receipt(box)


def _receipt_taken(value: str) -> bool:
    return ReceiptBook.objects.filter(values__contains=f" {value} ").exists()


def _new_receipt(box: BallotBox) -> str:
    """Add a fresh receipt to the box's sorted set (locked: votes of one box take turns here)."""
    book, _created = ReceiptBook.objects.select_for_update().get_or_create(box=box)
    value = new_receipt_value()
    while _receipt_taken(value):  # 31⁸ values: a clash is very rare
        value = new_receipt_value()
    book.values = book.with_value(value)
    book.save(update_fields=["values"])
    return value


RECEIPT_CHARS = str.maketrans("", "", " -_.\u3000")


def find_receipt(text: str, *, ip: str) -> tuple[str, BallotBox]:
    """The receipt a voter typed and its box. Unknown ones count as guesses, on their own limit:
    checking receipts never pauses voting."""
    value = (text or "").upper().translate(RECEIPT_CHARS)
    if len(value) != RECEIPT_LENGTH or not set(value) <= set(RECEIPT_ALPHABET):
        raise BallotError("receipt_format")
    if throttle.blocked(ip, scope="receipt"):
        raise BallotError("receipt_too_many")
    book = ReceiptBook.objects.select_related("box").filter(values__contains=f" {value} ").first()
    if book is None:
        throttle.record_guess(ip, scope="receipt")
        raise BallotError("receipt_unknown")
    return value, book.box


# --- the organiser's side --------------------------------------------------------------


def _locked_box(box: BallotBox) -> BallotBox:
    box = BallotBox.objects.select_for_update().get(pk=box.pk)
    if box.is_closed:
        raise BallotError("box_closed")
    return box


@transaction.atomic
def configure_box(*, box: BallotBox, title: str, options: dict, opens_at, closes_at) -> None:
    box = _locked_box(box)
    if box.status != BallotBox.Status.DRAFT:
        raise BallotError("not_draft")
    box.title, box.options, box.opens_at, box.closes_at = title, options, opens_at, closes_at
    box.save(update_fields=["title", "options", "opens_at", "closes_at"])


@transaction.atomic
def issue_codes(*, box: BallotBox, group: str, count: int) -> list[tuple[int, str]]:
    """New codes for one rater group: (serial, code) pairs. The codes themselves are returned
    this once, to be printed; only their keyed hashes are stored."""
    box = _locked_box(box)
    start = box.codes.aggregate(last=Max("serial"))["last"] or 0
    tag = codebook.box_tag(box.pk)
    issued = [(start + i + 1, codebook.new_code(tag)) for i in range(count)]
    AdmissionCode.objects.bulk_create(
        AdmissionCode(box=box, group=group, serial=serial, code_hash=codebook.code_hash(code))
        for serial, code in issued
    )
    return issued


@transaction.atomic
def void_codes(*, box: BallotBox, serials: list[int]) -> list[AdmissionCode]:
    """Void unused codes (a lost slip); all or nothing. Code rows are locked before the box,
    the same order as a vote takes, so the two never deadlock."""
    slips = list(
        AdmissionCode.objects.select_for_update()
        .filter(box=box, serial__in=serials, status=AdmissionCode.Status.ISSUED)
        .order_by("serial")
    )
    missing = sorted(set(serials) - {s.serial for s in slips})
    if missing or not serials:
        raise BallotError("not_voidable", serials="、".join(map(str, missing)) or "—")
    _locked_box(box)
    AdmissionCode.objects.filter(pk__in=[s.pk for s in slips]).update(
        status=AdmissionCode.Status.VOID
    )
    return slips


@transaction.atomic
def open_box(*, box: BallotBox) -> None:
    box = _locked_box(box)
    if box.status != BallotBox.Status.DRAFT:
        raise BallotError("not_draft")
    box.status = BallotBox.Status.OPEN
    box.save(update_fields=["status"])


@transaction.atomic
def close_box(*, box: BallotBox) -> list[Ballot]:
    """Close for good and rewrite the ballots and the codes so that nothing stored reflects the
    order of voting or which code went with which ballot; once committed, the old row versions
    are scrubbed from the disk as well (`scrub_storage`)."""
    box = _locked_box(box)
    box.status = BallotBox.Status.CLOSED
    box.save(update_fields=["status"])
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # overwrite deleted rows' content with zeros
            cursor.execute("PRAGMA secure_delete = ON")
    fresh = _rewrite_ballots(box)
    # The receipt set's live version was written by the last voter's transaction: rewrite it too.
    ReceiptBook.objects.filter(box=box).update(values=F("values"))
    with transaction.atomic():  # a savepoint: on PostgreSQL its own xid, so codes and ballots
        _rewrite_codes(box)  # do not even share the closing transaction's xmin
    transaction.on_commit(scrub_storage)
    return fresh


def _rewrite_ballots(box: BallotBox) -> list[Ballot]:
    rows = list(Ballot.objects.filter(box=box).values_list("group", "answers"))
    Ballot.objects.filter(box=box).delete()
    fresh = sorted((Ballot(box=box, group=g, answers=a) for g, a in rows), key=lambda b: b.id)
    Ballot.objects.bulk_create(fresh, batch_size=500)
    return fresh


def _rewrite_codes(box: BallotBox) -> None:
    """A vote updated its code row in the ballot's own transaction: on PostgreSQL that row
    version's xmin equalled the ballot's and, with its place in the table, told the order in
    which codes were used. Rewritten in serial order while closing, every code row of the box
    carries the same xmin and sits where its serial puts it."""
    codes = list(AdmissionCode.objects.filter(box=box).order_by("serial"))
    AdmissionCode.objects.filter(box=box).delete()
    AdmissionCode.objects.bulk_create(codes, batch_size=500)


def scrub_storage() -> None:
    """After a close commits: no earlier version of a ballot or code row stays on disk.
    SQLite: copy the write-ahead log into the database (whose deleted cells secure_delete
    zeroed) and truncate it to nothing. PostgreSQL: VACUUM prunes the dead row versions whose
    xmin matched between a ballot and its code, then VACUUM FULL writes both tables into new
    files without the bytes pruning leaves in the pages. (VACUUM FULL alone keeps versions that
    its own snapshot might see; neither removes versions a transaction older than the close
    could still see: those go when it ends and autovacuum or the next close runs.)"""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA secure_delete = ON")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        elif connection.vendor == "postgresql":
            tables = ", ".join(
                connection.ops.quote_name(model._meta.db_table)
                for model in (Ballot, AdmissionCode, ReceiptBook)  # earlier receipt sets too
            )
            cursor.execute(f"VACUUM {tables}")  # prunes dead versions: its own xmin is ignored
            cursor.execute(f"VACUUM FULL {tables}")  # new files without their leftover bytes
