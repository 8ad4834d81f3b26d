"""State changes of the response engine: publishing questionnaires and storing responses."""

import enum
import hashlib
import hmac
import logging
import uuid

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from surveys import inserts, tasks
from surveys.errors import SurveyError
from surveys.models import (
    Choice,
    Flag,
    Question,
    QuestionnaireVersion,
    Response,
)
from surveys.rules import integrity_flags_at_submission
from surveys.signals import response_stored
from surveys.versions import choice_scores, questions_of

logger = logging.getLogger(__name__)


def publication_problems(version: QuestionnaireVersion) -> list[SurveyError]:
    """What stops a version from being published (SPEC §4, the rules against formalism):
    every rating question must offer a dissatisfied answer."""
    problems = []
    questions = list(version.ordered_questions())
    if not questions:
        problems.append(SurveyError("empty"))
    for q in questions:
        if q.kind == Question.Kind.TEXT:
            continue
        choices = list(q.choices.all())
        if not choices:
            problems.append(SurveyError("no_choices", question=q.text))
        elif q.is_rating and not any(c.is_negative for c in choices):
            problems.append(SurveyError("no_dissatisfied", question=q.text))
    return problems


@transaction.atomic
def publish(*, version: QuestionnaireVersion) -> QuestionnaireVersion:
    version = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != QuestionnaireVersion.Status.DRAFT:
        raise SurveyError("not_draft")
    problems = publication_problems(version)
    if problems:
        raise problems[0]
    version.status = QuestionnaireVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    transaction.on_commit(lambda: tasks.render_speech.enqueue(version.pk))
    return version


@transaction.atomic
def new_draft(*, from_version: QuestionnaireVersion) -> QuestionnaireVersion:
    """Editing a frozen version means copying it into a new draft with the next number."""
    last = from_version.questionnaire.versions.order_by("-number").first()
    draft = QuestionnaireVersion.objects.create(
        questionnaire=from_version.questionnaire,
        number=last.number + 1,
        intro=from_version.intro,
        intro_en=from_version.intro_en,
    )
    for q in from_version.ordered_questions():
        choices = list(q.choices.all())
        q.pk, q.version = None, draft
        q.save()
        copies = [
            Choice(
                question=q,
                position=c.position,
                value=c.value,
                label=c.label,
                label_en=c.label_en,
                score=c.score,
                is_negative=c.is_negative,
            )
            for c in choices
        ]
        bulk_create_with_history(copies, Choice)  # a later edit then shows what it was
    return draft


def keyed_hash(value: str) -> str:
    """IP addresses and user agents are kept only as salted (keyed) hashes."""
    key = settings.IP_HASH_SALT.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def device_key(link_id: int, device: str) -> str:
    """What a response keeps of the phone: a keyed hash of its cookie per link. One phone is still
    one response per link, but its ratings of two links share nothing (issue 14 §11: the raw
    cookie, alike on every link for ten years, tied one resident's ratings together)."""
    return keyed_hash(f"device:{link_id}:{device}")


class Outcome(enum.Enum):
    STORED = "stored"
    REPEATED = "repeated"  # the same submission arrived again (retry, double tap)
    DEVICE_USED = "device_used"  # this device already rated this link
    CLOSED = "closed"  # the link is not open, or no longer offers the version: nothing stored


def _answer_rows(version: QuestionnaireVersion, cleaned: dict) -> list[tuple]:
    """(question id, value, score, text) of each answered question, as an Answer row stores it:
    a choice's value and score, or the typed text (the form has checked the choice exists)."""
    rows = []
    for q in questions_of(version):
        raw = cleaned.get(q.code)
        if raw in (None, ""):
            continue
        if q.kind == Question.Kind.TEXT:
            rows.append((q.pk, "", None, raw))
        else:
            rows.append((q.pk, raw, choice_scores(q)[raw], ""))
    return rows


def submit_response(
    *,
    link_id: int,
    token: str,
    version: QuestionnaireVersion,
    submission_id: uuid.UUID,
    device_id: str | None,
    cleaned: dict,
    ip: str = "",
    user_agent: str = "",
    seconds_taken: int | None = None,
    channel: str = Response.Channel.WEB,
    helper=None,
    helper_phone: str | None = None,
    staff_phone: str | None = None,
    on_staff_phone: bool = False,
) -> Outcome:
    """Store a resident's answers once, if the link (`link_id`, behind `token`) is open and
    offers `version`. The database decides duplicates: a unique submission id catches retries,
    a unique (link, device) pair catches a second rating from one phone.

    The response, its answers and the flags it earns on its own are written together, with the
    link's state as a condition of the insert (surveys/inserts.py): nothing is read before, and
    only a refused insert asks which constraint refused it. The checks that read other responses
    run in the task worker: the request for a scan of the link follows the commit, so its cache
    call and INSERT never hold the write lock, and a scan that has not yet started is sure to
    see this response (a request lost in between is caught up by the daily `scan_integrity`).
    `helper_phone`: the cookie of the phone a helper typed an assisted rating on.
    `staff_phone`, the phone's staff-device hash: if a staff account signed in on that phone,
    nothing is stored (CLOSED) and the caller checks who it was (surveys/views.py), then sends
    it again with `on_staff_phone` (held for review) unless it refuses it."""
    flags = integrity_flags_at_submission(
        has_device_cookie=bool(device_id), seconds_taken=seconds_taken, staff_phone=on_staff_phone
    )
    now = timezone.now()
    response = Response(
        link_id=link_id,
        version=version,
        submission_id=submission_id,
        device_id=device_key(link_id, device_id) if device_id else f"nocookie:{submission_id.hex}",
        submitted_at=now,
        ip_hash=keyed_hash(ip) if ip else "",
        ua_hash=keyed_hash(user_agent) if user_agent else "",
        seconds_taken=seconds_taken,
        channel=channel,
        helper=helper,
        helper_phone=device_key(link_id, helper_phone) if helper_phone else "",
        flags=list(flags),
        review=Response.Review.FLAGGED if flags else Response.Review.VALID,
    )
    answers = _answer_rows(version, cleaned)
    flag_rows = [
        Flag(response=response, code=code, cluster=code, evidence=evidence)
        for code, evidence in flags.items()
    ]
    try:
        # A paper sheet is typed in after the visit: the link's dates do not bind it (the paper
        # package flags one typed in long after, surveys/paper/services.late_by).
        paper = channel == Response.Channel.PAPER
        stored = inserts.insert_response(
            response, token, now, answers, flag_rows, any_time=paper, staff_phone=staff_phone
        )
    except IntegrityError:
        if Response.objects.filter(submission_id=submission_id).exists():
            return Outcome.REPEATED
        return Outcome.DEVICE_USED
    if stored is None:
        return Outcome.CLOSED
    response.pk = stored
    response._state.adding = False
    response._state.db = DEFAULT_DB_ALIAS
    tasks.request_scan(link_id)
    _announce(response, cleaned)
    return Outcome.STORED


def _announce(response: Response, cleaned: dict) -> None:
    """Tell other apps; their failure never costs the resident the stored response."""
    for receiver, result in response_stored.send_robust(
        sender=Response, response=response, cleaned=cleaned
    ):
        if isinstance(result, Exception):
            logger.error("response_stored receiver %r failed", receiver, exc_info=result)
