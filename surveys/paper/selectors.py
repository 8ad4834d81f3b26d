"""Reads of paper sheets for the staff pages: the state of a link's sheets, the sheets waiting
for a third look, the two readings side by side, and how many responses came by each channel."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from surveys.models import Question, Response
from surveys.paper.models import PaperBatch, PaperEntry
from surveys.paper.services import differences
from surveys.versions import questions_of


def channel_counts(link) -> list[tuple[str, str, int]]:
    """[(channel, label, count)] of the link's responses, every channel shown, in order."""
    counts = dict(Response.objects.filter(link=link).values_list("channel").annotate(n=Count("pk")))
    return [(value, label, counts.get(value, 0)) for value, label in Response.Channel.choices]


@dataclass
class SheetTally:
    printed: int = 0
    once: int = 0
    disagreeing: int = 0
    counted: int = 0


def tally(link) -> SheetTally:
    """How many sheets were printed, entered once, wait for a third look, and count."""
    result = SheetTally()
    for batch in link.paper_batches.all():
        result.printed += batch.size_count
    rounds = {}
    entries = PaperEntry.objects.filter(batch__link=link)
    for sheet, round_, response in entries.values_list("sheet", "round", "response_id"):
        state = rounds.setdefault(sheet, set())
        state.add("counted" if response else round_)
    for state in rounds.values():
        if "counted" in state:
            result.counted += 1
        elif PaperEntry.Round.SECOND in state and PaperEntry.Round.THIRD not in state:
            result.disagreeing += 1
        else:
            result.once += 1
    return result


def disagreeing(links):
    """Second readings that differ from the first and wait for a third look, over `links`."""
    decided = PaperEntry.objects.filter(
        batch=OuterRef("batch"), sheet=OuterRef("sheet"), round=PaperEntry.Round.THIRD
    )
    return (
        PaperEntry.objects.filter(
            batch__link__in=links, round=PaperEntry.Round.SECOND, response__isnull=True
        )
        .exclude(Exists(decided))
        .select_related("batch", "batch__link", "entered_by")
        .order_by("entered_at", "pk")
    )


def _shown(q: Question | None, value: str) -> str:
    if not value:
        return str(_("（未填）"))
    if q is None or q.kind == Question.Kind.TEXT:
        return value
    label = next((c.shown_label() for c in q.choices.all() if c.value == value), value)
    return f"{label}（{value}）"


@dataclass
class Row:
    code: str
    label: str
    first: str
    second: str
    first_shown: str
    second_shown: str
    differs: bool


def side_by_side(batch: PaperBatch, first: PaperEntry, second: PaperEntry) -> list[Row]:
    """Every question of the sheet's version with both readings; `differs` marks the ones to
    decide."""
    differing = set(differences(first.answers, second.answers))
    rows = []
    for q in questions_of(batch.version):
        a, b = first.answers.get(q.code, ""), second.answers.get(q.code, "")
        rows.append(
            Row(q.code, q.shown_text(), a, b, _shown(q, a), _shown(q, b), q.code in differing)
        )
    return rows
