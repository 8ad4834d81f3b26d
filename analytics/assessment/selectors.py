"""Reads for the assessment pages: the latest run joined with the department's decisions."""

from dataclasses import dataclass

from django.http import Http404

from analytics.assessment.models import AssessmentResult, AssessmentRun
from evaluations.models import AssessmentDecision, Cadre


@dataclass
class CycleTable:
    run: AssessmentRun | None
    rows: list
    running: AssessmentRun | None
    differ: int
    failed: AssessmentRun | None = None  # the newest run, when it failed after the shown one
    channels: list | None = None  # rows narrowed to cadres rated through these channels


NO_RATINGS = {"web": 0, "paper": 0, "assisted": 0}


def keep_draft(table: CycleTable, draft: dict | None) -> None:
    """A decision refused (say, a changed grade without a reason) shows the grade chosen and
    the reason typed in its row again, not the suggestion."""
    if not draft:
        return
    for row in table.rows:
        if row["result"].cadre_id == draft.get("cadre"):
            row["grade"], row["reason"] = draft.get("grade", ""), draft.get("reason", "")


def channel_counts(run: AssessmentRun | None) -> dict:
    """Cadre id (str) -> how many of the ratings behind his 群众满意度 came by each channel, as
    the run kept them (analytics.assessment.parts.satisfaction; issue 19 §5)."""
    if run is None:
        return {}
    return (run.inputs.get("satisfaction_inputs") or {}).get("channels", {})


def rated_through(row: dict, channels: list | None) -> bool:
    """The 评价渠道 filter of the assessment table: the cadres with any rating from `channels`.
    It chooses the rows only; every score and grade stays computed from all channels."""
    return not channels or any(row["channels"][c] for c in channels)


def latest_run(cycle) -> AssessmentRun | None:
    return cycle.runs.filter(status=AssessmentRun.Status.DONE).order_by("-pk").first()


def latest_result(cycle, cadre_pk) -> AssessmentResult | None:
    run = latest_run(cycle)
    if run is None:
        return None
    return run.results.select_related("cadre").filter(cadre_id=cadre_pk).first()


def cycle_table(cycle, *, channels: list | None = None) -> CycleTable:
    run = latest_run(cycle)
    counts = channel_counts(run)
    running = cycle.runs.filter(
        status__in=[AssessmentRun.Status.QUEUED, AssessmentRun.Status.RUNNING]
    ).first()
    decisions = {d.cadre_id: d for d in AssessmentDecision.objects.filter(cycle=cycle)}
    rows = []
    if run is not None:
        for result in run.results.select_related("cadre", "cadre__unit").order_by(
            "-composite", "cadre__code"
        ):
            decision = decisions.get(result.cadre_id)
            # A confirmed grade never changes with later data; a re-run only shows the difference.
            differs = decision is not None and decision.suggested_grade != result.suggested_grade
            rows.append(
                {
                    "result": result,
                    "decision": decision,
                    "differs": differs,
                    "channels": counts.get(str(result.cadre_id), NO_RATINGS),
                    "grade": decision.grade if decision else result.suggested_grade,
                    "reason": "",
                }
            )
    newest = cycle.runs.order_by("-pk").first()
    failed = newest if newest and newest.status == AssessmentRun.Status.FAILED else None
    return CycleTable(
        run=run,
        rows=[row for row in rows if rated_through(row, channels)],
        running=running,
        differ=sum(r["differs"] for r in rows),
        failed=failed,
        channels=channels,
    )


def cadre_sheet(user, cycle, cadre_pk) -> dict:
    cadre = Cadre.objects.visible_to(user).filter(pk=cadre_pk).select_related("unit").first()
    if cadre is None:
        raise Http404
    return {
        "cadre": cadre,
        "result": latest_result(cycle, cadre_pk),
        "decision": AssessmentDecision.objects.filter(cycle=cycle, cadre=cadre).first(),
        "run": latest_run(cycle),
    }


def to_confirm(user, cycle, cadre_pks=None):
    """Results of the latest run that have no decision yet, for cadres of the user's
    jurisdiction other than the user (nobody grades himself); `cadre_pks` narrows them."""
    run = latest_run(cycle)
    if run is None:
        return AssessmentResult.objects.none()
    decided = AssessmentDecision.objects.filter(cycle=cycle).values("cadre")
    results = (
        run.results.filter(cadre__in=Cadre.objects.visible_to(user))
        .exclude(cadre__in=decided)
        .select_related("cadre", "cadre__unit")
        .order_by("-composite", "cadre__code")
    )
    own = getattr(getattr(user, "cadre", None), "pk", None)
    if own is not None:
        results = results.exclude(cadre=own)
    if cadre_pks is not None:
        results = results.filter(cadre__in=cadre_pks)
    return results
