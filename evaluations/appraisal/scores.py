"""Per-cadre 民主测评/评议 scores for a year, read from closed sessions' stored tallies; a
session counts in the year it appraises (its `year`), whenever it closed.

A score is the tally's group-weighted points (SPEC §5 mapping, 0–1) × 100; several sessions
are averaged by valid ballots. A session below quorum (未达到法定人数) is shown in the notes
and not scored. The tally's flags (需组织认定, over the 优秀 cap) are passed on as notes, and
the cadres flagged 需组织认定 are returned apart: that flag blocks a suggested 优秀."""

from collections import defaultdict

from django.utils.translation import gettext_lazy

from evaluations.appraisal.models import AppraisalSubject
from evaluations.appraisal.scales import Kind
from surveys.notes import note

# Notes for the annual assessment, put into words when shown (surveys.notes).
BELOW_QUORUM = gettext_lazy("%(title)s未达到法定人数，不计入")
SCORED = gettext_lazy("%(title)s：有效票 %(valid)d 张，加权得分 %(score).1f")
NONE_THIS_YEAR = gettext_lazy("本年度无民主测评结果")


def _subject_rows(cadre_ids, year):
    return (
        AppraisalSubject.objects.filter(
            cadre_id__in=cadre_ids,
            is_probationary=False,
            session__year=year,  # the year appraised, not the year the session closed
            session__result__isnull=False,
        )
        .select_related("session", "session__branch")
        .order_by("session__closed_at", "pk")
    )


def _title_parts(session) -> dict:
    kind = Kind(session.kind).label
    return {"branch": session.branch.name, "period": session.period, "kind": kind}


def scores_for(*, cadre_ids, year: int):
    sums = defaultdict(lambda: [0.0, 0])
    notes = defaultdict(list)
    needs_review = set()
    for subject in _subject_rows(cadre_ids, year):
        result = subject.session.result or {}
        row = next((s for s in result.get("subjects", []) if s.get("key") == subject.key), None)
        if row is None or row.get("score") is None:
            continue
        session = subject.session  # its title as a note: the kind of session in the reader's words
        title = note("%(branch)s%(period)s%(kind)s", **_title_parts(session))
        if not result.get("quorum_met"):
            notes[subject.cadre_id].append(note(BELOW_QUORUM, title=title))
            continue
        sums[subject.cadre_id][0] += row["score"] * 100 * row["valid"]
        sums[subject.cadre_id][1] += row["valid"]
        notes[subject.cadre_id].append(
            note(SCORED, title=title, valid=row["valid"], score=row["score"] * 100)
        )
        for flag in row.get("flags", []):
            notes[subject.cadre_id].append(flag["reason"])
            if flag.get("code") == "needs_review":
                needs_review.add(subject.cadre_id)
    values = {}
    for pk in cadre_ids:
        total, n = sums.get(pk, (0.0, 0))
        values[pk] = total / n if n else None  # rounded once, by the assessment
        if values[pk] is None and not notes.get(pk):
            notes[pk] = [note(NONE_THIS_YEAR)]
    return values, dict(notes), needs_review
