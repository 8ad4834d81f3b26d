"""State changes of democratic appraisal: set up, issue and void codes, open, close, grade.

A closed session never changes again through the application (SPEC §5); an attempt is refused
and written to the session's log. Final grades are recorded by people after the close, with the
tally beside them; nothing here sets a grade from the votes.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from evaluations.appraisal import scales, selectors
from evaluations.models import AppraisalLog, AppraisalSession, AppraisalSubject, RaterGroup
from surveys import notes
from surveys.ballots import services as voting
from surveys.ballots.models import AdmissionCode, BallotBox

MESSAGES = {
    "closed": _("本次评议已经结束并锁定，不能再更改。此次操作已记入评议日志。"),
    "not_draft": _("投票已经开始，评议设置不能再修改。"),
    "codes_issued": _("已经发放了投票码，评议设置不能再修改；如确需修改，请先作废已发放的投票码。"),
    "no_subjects": _("请至少填写一名参加评定的评议对象。"),
    "no_groups": _("请至少设置一个评议组。"),
    "too_many_codes": _(
        "“%(group)s”应参加 %(voters)d 人，已发放 %(issued)d 个投票码，最多还能发放 %(left)d 个。"
    ),
    "not_closed": _("投票结束后才能评定等次。"),
    "over_cap": _("评定为优秀的有 %(n)d 人，超过上限 %(limit)d 人（参加评定人数的 %(rule)s）。"),
    "bad_grade": _("“%(name)s”的等次无效。"),
    "own_grade": _("“%(name)s”是您本人，不能评定自己的等次。"),
    "flagged_excellent": _(
        "“%(name)s”的计票有提示（%(reasons)s），评定为优秀时请在说明中写明理由。"
    ),
    "engine": "%(message)s",
}


class AppraisalError(Exception):
    def __init__(self, code: str, **params):
        self.code = code
        super().__init__(str(MESSAGES[code]) % params if params else str(MESSAGES[code]))


@dataclass(frozen=True)
class SubjectSpec:
    name: str
    note: str = ""
    is_team: bool = False
    is_probationary: bool = False
    cadre: object = None


# The log's words, kept as messages (surveys.notes) and read in the reader's language.
LOG = {
    "refused": _("评议结束后尝试：%(what)s"),
    "saved": _("评议对象 %(s)d 名，评议组 %(g)d 个"),
    "issued": _("为“%(group)s”发放投票码 %(n)d 个，票号 %(first)04d–%(last)04d"),
    "voided": _("作废票号 %(slips)s"),
    "slip": _("%(serial)04d（%(group)s）"),
    "reissued": _("补发：%(pairs)s"),
    "pair": _("%(old)04d → %(new)04d"),
    "closed": _("收回选票 %(n)d 张，应参加 %(e)d 人"),
    "graded": _("%(name)s：%(before)s → %(after)s"),
    "graded_note": _("%(name)s：%(before)s → %(after)s（%(note)s）"),
}


@dataclass(frozen=True)
class GroupSpec:
    name: str
    voters: int
    weight: float = 1.0


def _log(session, actor, action, message=None):
    """`message`: a note (surveys.notes), so the log reads in each reader's language."""
    AppraisalLog.objects.create(session=session, actor=actor, action=action, message=message or {})


def refuse_if_closed(session: AppraisalSession, actor, attempted: str) -> None:
    """Outside any transaction, so the record of the refused attempt survives the refusal."""
    if BallotBox.objects.filter(pk=session.box_id, status=BallotBox.Status.CLOSED).exists():
        _log(
            session, actor, AppraisalLog.Action.REFUSED, notes.note(LOG["refused"], what=attempted)
        )
        raise AppraisalError("closed")


def _engine(call, **kwargs):
    try:
        return call(**kwargs)
    except voting.BallotError as error:
        raise AppraisalError("engine", message=str(error)) from error


def save_session(*, session, subjects, groups, opens_at, closes_at, actor) -> AppraisalSession:
    """Create or edit a session while it is a draft and no code has been issued."""
    if session.pk:
        refuse_if_closed(session, actor, _("修改评议设置"))
    if not any(not s.is_probationary for s in subjects):
        raise AppraisalError("no_subjects")
    if not groups:
        raise AppraisalError("no_groups")
    with transaction.atomic():
        created = session.pk is None
        if created:
            session.box = BallotBox.objects.create(title=session.title)
            session.created_by = actor
        else:
            _check_editable(session)
        session.save()
        _replace_roster(session, subjects, groups)
        _engine(
            voting.configure_box,
            box=session.box,
            title=session.title,
            options=selectors.ballot_options(session),
            opens_at=opens_at,
            closes_at=closes_at,
        )
        session.box.refresh_from_db()
        action = AppraisalLog.Action.CREATED if created else AppraisalLog.Action.EDITED
        _log(
            session,
            actor,
            action,
            notes.note(LOG["saved"], s=len(subjects), g=len(groups)),
        )
    return session


def _check_editable(session):
    box = BallotBox.objects.select_for_update().get(pk=session.box_id)
    if box.status != BallotBox.Status.DRAFT:
        raise AppraisalError("not_draft")
    if box.codes.exclude(status=AdmissionCode.Status.VOID).exists():
        raise AppraisalError("codes_issued")


def _replace_roster(session, subjects, groups):
    session.subjects.all().delete()
    session.groups.all().delete()
    AppraisalSubject.objects.bulk_create(
        AppraisalSubject(session=session, position=i, **vars(spec))
        for i, spec in enumerate(subjects, 1)
    )
    RaterGroup.objects.bulk_create(
        RaterGroup(
            session=session, position=i, code=f"g{i}", name=g.name, voters=g.voters, weight=g.weight
        )
        for i, g in enumerate(groups, 1)
    )


def issue_codes(*, session, group: RaterGroup, count: int, actor) -> list[tuple[int, str, str]]:
    """New one-time codes for a rater group, never more than its electorate. Returns
    (serial, code, group name) for printing: the codes are not recoverable afterwards."""
    refuse_if_closed(session, actor, _("发放投票码"))
    with transaction.atomic():
        group = RaterGroup.objects.select_for_update().get(pk=group.pk, session=session)
        issued = (
            AdmissionCode.objects.filter(box_id=session.box_id, group=group.code)
            .exclude(status=AdmissionCode.Status.VOID)
            .count()
        )
        if count < 1 or issued + count > group.voters:
            raise AppraisalError(
                "too_many_codes",
                group=group.name,
                voters=group.voters,
                issued=issued,
                left=max(0, group.voters - issued),
            )
        pairs = _engine(voting.issue_codes, box=session.box, group=group.code, count=count)
        _log(
            session,
            actor,
            AppraisalLog.Action.ISSUED,
            notes.note(
                LOG["issued"], group=group.name, n=count, first=pairs[0][0], last=pairs[-1][0]
            ),
        )
    return [(serial, code, group.name) for serial, code in pairs]


def void_codes(*, session, serials: list[int], reissue: bool, actor) -> list[tuple[int, str, str]]:
    """Void unused codes (a lost or spoilt slip), optionally issuing a new code for each in the
    same group. Both are written to the log; returns the new slips to print."""
    refuse_if_closed(session, actor, _("作废投票码"))
    names = {g.code: g.name for g in session.groups.all()}
    with transaction.atomic():
        voided = _engine(voting.void_codes, box=session.box, serials=serials)
        _log(
            session,
            actor,
            AppraisalLog.Action.VOIDED,
            notes.note(
                LOG["voided"],
                slips=[
                    notes.note(LOG["slip"], serial=s.serial, group=names.get(s.group, s.group))
                    for s in voided
                ],
            ),
        )
        if not reissue:
            return []
        new = []
        for slip in voided:
            serial, code = _engine(voting.issue_codes, box=session.box, group=slip.group, count=1)[
                0
            ]
            new.append((serial, code, names.get(slip.group, slip.group)))
        _log(
            session,
            actor,
            AppraisalLog.Action.REISSUED,
            notes.note(
                LOG["reissued"],
                pairs=[
                    notes.note(LOG["pair"], old=old.serial, new=n[0])
                    for old, n in zip(voided, new, strict=True)
                ],
            ),
        )
    return new


def open_session(*, session, actor) -> None:
    """Lock the set-up and accept votes; the ballot is written afresh from the roster."""
    refuse_if_closed(session, actor, _("开始投票"))
    if not session.subjects.filter(is_probationary=False).exists():
        raise AppraisalError("no_subjects")
    if not session.groups.exists():
        raise AppraisalError("no_groups")
    with transaction.atomic():
        box = session.box
        _engine(
            voting.configure_box,
            box=box,
            title=session.title,
            options=selectors.ballot_options(session),
            opens_at=box.opens_at,
            closes_at=box.closes_at,
        )
        _engine(voting.open_box, box=box)
        box.refresh_from_db()
        _log(session, actor, AppraisalLog.Action.OPENED)


def close_session(*, session, actor) -> dict:
    """Close for good: the box rewrites its ballots, the tally is computed and stored."""
    refuse_if_closed(session, actor, _("结束投票"))
    with transaction.atomic():
        _engine(voting.close_box, box=session.box)
        session.box.refresh_from_db()
        session.result = selectors.compute_tally(session)
        session.closed_at = timezone.now()
        session.save(update_fields=["result", "closed_at"])
        _log(
            session,
            actor,
            AppraisalLog.Action.CLOSED,
            notes.note(LOG["closed"], n=session.result["ballots"], e=session.result["electorate"]),
        )
    return session.result


def _excellent_limit(session, subjects) -> int | None:
    cap = session.excellent_cap_fraction
    capped = [
        s for s in subjects if scales.CAPPED_GRADE in dict(scales.grades_of(s.scale(session.scale)))
    ]
    return int(scales.parse_fraction(cap) * len(capped)) if cap else None


def _flag_reasons(session) -> dict[str, list[str]]:
    """The tally's flags (over the 优秀 cap, 需组织认定) by subject key."""
    rows = (session.result or {}).get("subjects", [])
    return {row["key"]: [flag["reason"] for flag in row.get("flags", [])] for row in rows}


def _refuse_unexplained_excellent(subject, grade, note, flags) -> None:
    """Issue 17 §6: 优秀 for a subject the tally flagged is accepted only with a written reason
    (SPEC §5: the vote informs, the branch decides and says why — 不简单以票取人)."""
    changed = (grade, note) != (subject.final_grade, subject.decision_note)
    if changed and grade == scales.CAPPED_GRADE and flags and not note:
        reasons = gettext("；").join(notes.texts(flags))
        raise AppraisalError("flagged_excellent", name=subject.name, reasons=reasons)


def _validated(session, subjects, decisions) -> dict:
    final = {}
    flags = _flag_reasons(session)
    for subject in subjects:
        grade, note = decisions.get(subject.pk, (subject.final_grade, subject.decision_note))
        allowed = dict(scales.grades_of(subject.scale(session.scale)))
        if grade and grade not in allowed:
            raise AppraisalError("bad_grade", name=subject.name)
        _refuse_unexplained_excellent(subject, grade, note.strip(), flags.get(subject.key))
        final[subject.pk] = (grade, note.strip())
    limit = _excellent_limit(session, subjects)
    n = sum(1 for grade, _note in final.values() if grade == scales.CAPPED_GRADE)
    if limit is not None and n > limit:
        raise AppraisalError("over_cap", n=n, limit=limit, rule=session.excellent_cap_fraction)
    return final


def _refuse_own(subject, actor) -> None:
    """Nobody grades himself or herself (issue 14 §3): a subject linked to the actor's cadre
    record, or one typed in without a link under the actor's own name (a secretary who typed
    his name as a free-text subject graded himself)."""
    cadre = getattr(actor, "cadre", None)
    if cadre is None:
        return
    own_name = subject.cadre_id is None and subject.name.strip() == cadre.name.strip()
    if subject.cadre_id == cadre.pk or own_name:
        raise AppraisalError("own_grade", name=subject.name)


def record_grades(*, session, decisions: dict, actor) -> int:
    """The branch's final grades ({subject pk: (grade or "", note)}); each change is logged."""
    if not session.is_closed:
        raise AppraisalError("not_closed")
    with transaction.atomic():
        subjects = list(
            AppraisalSubject.objects.select_for_update().filter(
                session=session, is_probationary=False
            )
        )
        final = _validated(session, subjects, decisions)
        changed = 0
        for subject in subjects:
            grade, note = final[subject.pk]
            if (grade, note) == (subject.final_grade, subject.decision_note):
                continue
            _refuse_own(subject, actor)
            labels = dict(scales.grades_of(subject.scale(session.scale)))
            before, after = labels.get(subject.final_grade, "—"), labels.get(grade, "—")
            graded = notes.note(
                LOG["graded_note" if note else "graded"],
                name=subject.name,
                before=before,
                after=after,
                note=note,
            )
            _log(session, actor, AppraisalLog.Action.GRADED, graded)
            subject.final_grade, subject.decision_note = grade, note
            subject.decided_by, subject.decided_at = actor, timezone.now()
            subject.save(update_fields=["final_grade", "decision_note", "decided_by", "decided_at"])
            changed += 1
    return changed
