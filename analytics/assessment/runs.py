"""Compute an assessment run: gather each cadre's parts, suggest grades, keep the inputs.

`run_one_step(run)` does the next step and returns False when the run is finished, so the
task, the command's progress bar and the tests all drive the same code."""

import datetime as dt
import hashlib
import json

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from analytics.assessment import grading
from analytics.assessment.models import LIVE, AssessmentResult, AssessmentRun
from evaluations.cycles.models import category_of
from evaluations.models import AssessmentCycle, Cadre

STALE_REASON = gettext_lazy(
    "超过 %(minutes)d 分钟没有进展（计算进程可能已中断），已标记为失败，请重新计算。"
)


def _part(name: str):
    """A step's provider, importing the parts (pandas, statsmodels) only when a run computes:
    the web views that start and show runs import this module (issue 15, light web workers)."""

    def provide(**kwargs):
        from analytics.assessment import parts

        return getattr(parts, name)(**kwargs)

    return provide


STEPS = [(name, _part(name)) for name in ("satisfaction", "appraisal", "compliance", "cases")]


def cadres_of(cycle: AssessmentCycle):
    return Cadre.objects.filter(unit__path__startswith=cycle.unit.path, is_active=True).order_by(
        "code"
    )


def cap_for(cycle: AssessmentCycle, category: str) -> tuple[float, str] | None:
    """The most specific cap rule that matches the team's grade, else the general one."""
    rules = [r for r in cycle.caps.all() if r.category == category]
    specific = [
        r
        for r in rules
        if r.team_grade == cycle.team_grade
        and (not r.principal_not_excellent or not cycle.principal_excellent)
    ]
    general = [r for r in rules if not r.team_grade]
    chosen = (specific or general or [None])[0]
    return (float(chosen.fraction), chosen.source) if chosen else None


def default_as_of(cycle: AssessmentCycle, today: dt.date | None = None) -> dt.date:
    """The first day a run does not judge: today, or 1 January after the cycle's year once it
    is over. Only periods that end before it count (issue 12 §3: never judge the future)."""
    return min(today or timezone.localdate(), dt.date(cycle.year + 1, 1, 1))


def as_of_of(run: AssessmentRun) -> dt.date:
    stored = run.inputs.get("as_of")
    return dt.date.fromisoformat(stored) if stored else default_as_of(run.cycle)


def stale_after() -> dt.timedelta:
    return dt.timedelta(minutes=settings.ASSESSMENT_STALE_MINUTES)


def expire_stale(*, cycle: AssessmentCycle | None = None, now=None) -> int:
    """Mark failed, with the reason, every live run without progress for `stale_after()`
    (its worker was killed or lost); returns how many."""
    now = now or timezone.now()
    runs = AssessmentRun.objects.filter(status__in=LIVE, progress_at__lt=now - stale_after())
    if cycle is not None:
        runs = runs.filter(cycle=cycle)
    reason = STALE_REASON % {"minutes": settings.ASSESSMENT_STALE_MINUTES}
    return runs.update(status=AssessmentRun.Status.FAILED, error=reason, finished_at=now)


def open_run(cycle: AssessmentCycle, *, as_of: dt.date | None = None):
    """(run, created): the cycle's live run if there is one, else a new queued run — never two
    live runs of one cycle (the database refuses the second)."""
    expire_stale(cycle=cycle)
    live = cycle.runs.filter(status__in=LIVE).first()
    if live is not None:
        return live, False
    as_of = as_of or default_as_of(cycle)
    try:
        with transaction.atomic():
            run = AssessmentRun.objects.create(
                cycle=cycle,
                progress_total=len(STEPS) + 1,
                inputs={"weights": cycle.weights(), "as_of": as_of.isoformat()},
            )
    except IntegrityError:  # another request opened one at the same moment
        return cycle.runs.get(status__in=LIVE), False
    return run, True


def start(cycle: AssessmentCycle, *, as_of: dt.date | None = None) -> AssessmentRun:
    return open_run(cycle, as_of=as_of)[0]


def run_one_step(run: AssessmentRun) -> bool:
    run.refresh_from_db()
    if run.status in (AssessmentRun.Status.DONE, AssessmentRun.Status.FAILED):
        return False
    cycle = run.cycle
    ids = list(cadres_of(cycle).values_list("pk", flat=True))
    if run.progress_done < len(STEPS):
        name, provider = STEPS[run.progress_done]
        part = provider(cycle=cycle, cadre_ids=ids, as_of=as_of_of(run))
        values, notes = part.values, part.notes
        inputs = dict(run.inputs)
        inputs[f"{name}_blocks"] = sorted(part.blocks_excellent)
        inputs[name] = {str(k): v for k, v in values.items()}
        inputs[f"{name}_notes"] = {str(k): v for k, v in notes.items()}
        if part.inputs:
            inputs[f"{name}_inputs"] = part.inputs
        # A run marked failed meanwhile (stale) stays failed: its worker stops here.
        return bool(
            AssessmentRun.objects.filter(pk=run.pk, status__in=LIVE).update(
                inputs=inputs,
                progress_done=run.progress_done + 1,
                status=AssessmentRun.Status.RUNNING,
                progress_at=timezone.now(),
            )
        )
    _finish(run, cycle)
    return False


def _candidates(run, cycle):
    cadres = cadres_of(cycle).values("pk", "name", "level", "on_leave")
    blocked = {pk for name, _ in STEPS for pk in run.inputs.get(f"{name}_blocks", [])}
    return [
        grading.Candidate(
            cadre_id=c["pk"],
            name=c["name"],
            category=category_of(c["level"]),
            parts={name: run.inputs.get(name, {}).get(str(c["pk"])) for name, _ in STEPS},
            needs_confirmation=c["pk"] in blocked,
            on_leave=c["on_leave"],
        )
        for c in cadres
    ]


@transaction.atomic
def _finish(run: AssessmentRun, cycle: AssessmentCycle) -> None:
    if not AssessmentRun.objects.select_for_update().filter(pk=run.pk, status__in=LIVE).exists():
        return  # marked failed while computing: no results from a run the page calls dead
    caps = {cat: cap for cat in ("leading", "other") if (cap := cap_for(cycle, cat))}
    candidates = grading.suggest(
        _candidates(run, cycle), weights=cycle.weights(), bands=cycle.bands(), caps=caps
    )
    inputs = {
        **run.inputs,
        "weights": cycle.weights(),
        "bands": [[b, g] for b, g in cycle.bands()],
        "caps": caps,
        "team_grade": cycle.team_grade,
        "principal_excellent": cycle.principal_excellent,
    }
    notes = {name: run.inputs.get(f"{name}_notes", {}) for name, _ in STEPS}
    AssessmentResult.objects.bulk_create(
        AssessmentResult(
            run=run,
            cadre_id=c.cadre_id,
            category=c.category,
            composite=c.composite,
            suggested_grade=c.grade,
            reasons=[*_notes_for(notes, c.cadre_id), *c.reasons],
            **{name: grading.rounded(c.parts[name]) for name, _ in STEPS},
        )
        for c in candidates
    )
    fingerprint = hashlib.sha256(
        json.dumps(inputs, sort_keys=True, default=str).encode()
    ).hexdigest()
    AssessmentRun.objects.filter(pk=run.pk).update(
        inputs=inputs,
        fingerprint=fingerprint,
        status=AssessmentRun.Status.DONE,
        progress_done=run.progress_total,
        finished_at=timezone.now(),
        progress_at=timezone.now(),
    )


def _notes_for(notes: dict, cadre_id: int) -> list[str]:
    key = str(cadre_id)
    return [text for name in notes for text in notes[name].get(key, [])]


def run_all(run: AssessmentRun, progress=None) -> AssessmentRun:
    while run_one_step(run):
        if progress:
            run.refresh_from_db()
            progress(run)
    run.refresh_from_db()
    if progress:
        progress(run)
    return run
