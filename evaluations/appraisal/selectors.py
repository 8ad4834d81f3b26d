"""Reads of democratic appraisal: sessions in the user's jurisdiction, turnout, the tally."""

import json

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from evaluations.appraisal import scales
from evaluations.appraisal.tally import Rules, tally
from evaluations.models import AppraisalSession
from surveys import listing
from surveys.ballots.models import AdmissionCode, Ballot, BallotBox
from surveys.notes import note

# What the ballot says above the names, by kind of session (SPEC §5).
INTRO = {
    scales.Kind.MEMBERS: _(
        "请对以下党员逐一评定等次，每人只选一项。预备党员参加评议，但不评定等次。"
        "本票无记名，提交后不能修改。"
    ),
    scales.Kind.LEADERSHIP: _(
        "请对领导班子和班子成员逐一评价，每项只选一项。本票无记名，提交后不能修改。"
    ),
}


def sessions_for(user):
    return AppraisalSession.objects.visible_to(user).select_related("branch", "box")


def periods(sessions) -> list[tuple[str, str]]:
    """Choices of the period filter: the periods that have sessions, the latest first."""
    found = sessions.order_by("-period").values_list("period", flat=True).distinct()
    return [(period, period) for period in found]


# The list of sessions: searched, filtered and sorted through surveys.listing.
SESSION_LIST = listing.Spec(
    search=("branch__name", "period"),
    filters={
        "kind": (_("类型"), "kind", AppraisalSession.Kind.choices),
        "status": (_("状态"), "box__status", BallotBox.Status.choices),
        "period": (_("期间"), "period", periods),
    },
    sorts={
        "-created": (_("最新"), ("-pk",)),
        "branch": (_("党支部（单位）"), ("branch__name", "-pk")),
        "period": (_("期间"), ("period", "-pk")),
    },
)
SESSION_COLUMNS = [
    (_("评议"), lambda s: str(s.get_kind_display())),
    (_("党支部（单位）"), lambda s: s.branch.name),
    (_("期间"), lambda s: s.period),
    (_("状态"), lambda s: str(s.box.get_status_display())),
]


def rules_of(session: AppraisalSession) -> Rules:
    cap = session.excellent_cap_fraction
    return Rules(
        quorum=scales.parse_fraction(session.quorum_fraction),
        flag=scales.parse_fraction(session.flag_fraction),
        excellent_cap=scales.parse_fraction(cap) if cap else None,
        excellent_majority=scales.parse_fraction(session.excellent_majority_fraction),
        points={k: float(v) for k, v in session.grade_points.items()},
    )


def graded_subjects(session: AppraisalSession) -> list[dict]:
    """The subjects on the ballot, in ballot order, with their grades."""
    return [
        {
            "key": s.key,
            "name": s.name,
            "note": s.note,
            "grades": scales.grades_of(s.scale(session.scale)),
        }
        for s in session.subjects.filter(is_probationary=False)
    ]


def group_rows(session: AppraisalSession) -> list[dict]:
    return [
        {"code": g.code, "name": g.name, "voters": g.voters, "weight": float(g.weight)}
        for g in session.groups.all()
    ]


def ballot_options(session: AppraisalSession) -> dict:
    """What the engine shows on the ballot: it needs no knowledge of branches or cadres."""
    return {
        # stored as messages (surveys.notes): each voter reads them in their own language
        "intro": note(INTRO[session.kind]),
        "groups": {g["code"]: g["name"] for g in group_rows(session)},
        "items": [
            {
                "key": s["key"],
                "label": s["name"],
                "note": s["note"],
                "choices": [{"value": v, "label": note(label)} for v, label in s["grades"]],
            }
            for s in graded_subjects(session)
        ],
    }


def compute_tally(session: AppraisalSession) -> dict:
    """The tally recomputed from the stored ballots, read in the order of their random ids."""
    ballots = list(Ballot.objects.filter(box_id=session.box_id).values("group", "answers"))
    return tally(
        ballots=ballots,
        subjects=graded_subjects(session),
        groups=group_rows(session),
        rules=rules_of(session),
    )


def canonical(result: dict | None) -> str:
    return json.dumps(result, sort_keys=True, ensure_ascii=False)


def tally_matches(session: AppraisalSession) -> tuple[dict, bool]:
    fresh = compute_tally(session)
    return fresh, session.result is not None and canonical(fresh) == canonical(session.result)


def turnout(session: AppraisalSession) -> list[dict]:
    """Codes used / issued per rater group, counted by the database; nothing about a vote."""
    used, void = AdmissionCode.Status.USED, AdmissionCode.Status.VOID
    counts = {
        row["group"]: row
        for row in AdmissionCode.objects.filter(box_id=session.box_id)
        .values("group")
        .annotate(
            issued=Count("pk", filter=~Q(status=void)),
            used=Count("pk", filter=Q(status=used)),
            void=Count("pk", filter=Q(status=void)),
        )
    }
    rows = []
    for group in session.groups.all():
        row = counts.get(group.code, {"issued": 0, "used": 0, "void": 0})
        rows.append(
            {
                "group": group,
                "issued": row["issued"],
                "used": row["used"],
                "void": row["void"],
                "share": row["used"] / row["issued"] if row["issued"] else 0,
                "of_voters": row["used"] / group.voters if group.voters else 0,
            }
        )
    return rows


def log_for(session: AppraisalSession, limit: int = 200):
    return session.log.select_related("actor")[:limit]


def result_rows(session: AppraisalSession) -> list[dict]:
    """The stored tally joined with the subjects, ready for a table (closed sessions only)."""
    tallied = {row["key"]: row for row in session.result["subjects"]}
    groups = {g["code"]: g["name"] for g in session.result["groups"]}
    rows = []
    for subject in session.subjects.filter(is_probationary=False).select_related("decided_by"):
        row = tallied.get(subject.key)
        if row is None:
            continue
        labels = dict(scales.grades_of(subject.scale(session.scale)))
        rows.append(
            {
                "subject": subject,
                "tally": row,
                "grades": [(labels[g], row["counts"][g], row["shares"][g]) for g in row["grades"]],
                "by_group": [
                    (groups.get(code, code), block, [block["counts"][g] for g in row["grades"]])
                    for code, block in row["by_group"].items()
                ],
                "final_label": labels.get(subject.final_grade, ""),
            }
        )
    return rows


def probationary(session: AppraisalSession) -> list[str]:
    return list(session.subjects.filter(is_probationary=True).values_list("name", flat=True))


def quorum(session: AppraisalSession, rows: list[dict]) -> dict:
    """Ballots cast so far against the quorum rule, from `turnout` rows (issue 17 §6)."""
    rule = scales.parse_fraction(session.quorum_fraction)
    electorate = sum(row["group"].voters for row in rows)
    ballots = sum(row["used"] for row in rows)
    needed = int(rule * electorate) + 1  # strictly more than the share (SPEC §5)
    return {
        "electorate": electorate,
        "ballots": ballots,
        "share": ballots / electorate if electorate else 0,
        "rule": session.quorum_fraction,
        "needed": needed,
        "met": ballots > rule * electorate,
        "issued": sum(row["issued"] for row in rows),
    }
