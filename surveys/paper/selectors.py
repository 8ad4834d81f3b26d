"""Reads of paper sheets for the staff pages: the state of a link's sheets, the sheets waiting
for a third look or voided by it, the two readings side by side, and how many responses came by
each channel."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Subquery

from surveys.models import Question, Response
from surveys.paper import printed
from surveys.paper.models import PaperBatch, PaperEntry
from surveys.paper.services import differences
from surveys.versions import questions_of


def channel_counts(link) -> list[tuple[str, str, int]]:
    """[(channel, label, count)] of the link's counted responses, every channel shown, in
    order: the figures the reports give, not those still held for review (the second outside
    attack found 手机扫码 5 here against 2 in the reports)."""
    counted = Response.objects.filter(link=link, review__in=Response.Review.counted())
    counts = dict(counted.values_list("channel").annotate(n=Count("pk")))
    return [(value, label, counts.get(value, 0)) for value, label in Response.Channel.choices]


@dataclass
class SheetTally:
    printed: int = 0
    once: int = 0
    disagreeing: int = 0
    counted: int = 0
    voided: int = 0


def _state(marks: set) -> str:
    """A sheet's state from the marks of its entries (a round, "counted" or "voided")."""
    if "counted" in marks:
        return "counted"
    if "voided" in marks:
        return "voided"
    return "disagreeing" if PaperEntry.Round.SECOND in marks else "once"


def tally(link) -> SheetTally:
    """How many sheets were printed, entered once, wait for a third look, count, were voided."""
    result = SheetTally()
    for batch in link.paper_batches.all():
        result.printed += batch.size_count
    marks = {}
    entries = PaperEntry.objects.filter(batch__link=link)
    for sheet, round_, response, void in entries.values_list(
        "sheet", "round", "response_id", "void_reason"
    ):
        marks.setdefault(sheet, set()).add("counted" if response else "voided" if void else round_)
    for state in map(_state, marks.values()):
        setattr(result, state, getattr(result, state) + 1)
    return result


def disagreeing(links):
    """Second readings that differ from the first and wait for a third look, over `links`;
    `first_by`: who made the first reading (neither entrant may do the third look)."""
    decided = PaperEntry.objects.filter(
        batch=OuterRef("batch"), sheet=OuterRef("sheet"), round=PaperEntry.Round.THIRD
    )
    first = PaperEntry.objects.filter(
        batch=OuterRef("batch"), sheet=OuterRef("sheet"), round=PaperEntry.Round.FIRST
    )
    return (
        PaperEntry.objects.filter(
            batch__link__in=links, round=PaperEntry.Round.SECOND, response__isnull=True
        )
        .exclude(Exists(decided))
        .annotate(first_by=Subquery(first.values("entered_by")[:1]))
        .select_related("batch", "batch__link", "entered_by")
        .order_by("entered_at", "pk")
    )


def voided(links):
    """Sheets a third look voided (作废), over `links`: who, when and why, the latest first."""
    return (
        PaperEntry.objects.filter(batch__link__in=links, round=PaperEntry.Round.THIRD)
        .exclude(void_reason="")
        .select_related("batch", "batch__link", "entered_by")
        .order_by("-entered_at", "-pk")
    )


@dataclass
class Row:
    question: Question
    label: str  # as numbered on the sheet
    first_shown: str  # each reading in the words printed on the sheet, never a choice code
    second_shown: str
    differs: bool

    @property
    def code(self) -> str:
        return self.question.code


def side_by_side(batch: PaperBatch, first: PaperEntry, second: PaperEntry) -> list[Row]:
    """Every question of the sheet's version with both readings; `differs` marks the ones the
    third look reads off the sheet."""
    differing = set(differences(first.answers, second.answers))
    rows = []
    for number, q in enumerate(questions_of(batch.version), start=1):
        a, b = first.answers.get(q.code, ""), second.answers.get(q.code, "")
        rows.append(
            Row(
                q,
                printed.question_line(number, q),
                printed.answer_words(q, a),
                printed.answer_words(q, b),
                q.code in differing,
            )
        )
    return rows
