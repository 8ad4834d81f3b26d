"""Integrity checks over a link's responses (SPEC §7). A check never rejects or deletes: it
flags the responses it finds suspicious, with the cluster they belong to and the evidence in
numbers, and they wait for a reviewer.

Flags go on the suspicious, never on the crowd: a genuine meeting is hundreds of phones behind
one or three addresses, many with the same browser, answering at once. So a burst alone never
flags; an address is a signal, never an identity; all-5 answers are never flagged on their own.
What one person with one phone cannot hide is the shape of the submissions: one page after the
other (serial), or many pages opened ahead and sent within seconds (pace). A link may also record
its expected audience, and arrivals well beyond it are flagged.

`scan_link` runs every check over a whole link in one read and is idempotent: the task worker
runs it shortly after submissions (surveys/tasks.py) and `scan_integrity` re-runs it daily."""

import datetime as dt
import hashlib
import itertools
import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models.functions import TruncMinute
from django.utils import timezone

from surveys.models import Answer, Flag, RatingLink, Response
from surveys.rules import (
    ASSISTED_PACE_COUNT,
    ASSISTED_PACE_WINDOW,
    integrity_flags_at_submission,
)

# Serial: at least this many responses from one address, each page opened only after the one
# before was submitted and within SERIAL_GAP of it: one phone rating again and again. People at
# a meeting answer at once, so their pages overlap.
SERIAL_COUNT = 5
SERIAL_GAP = dt.timedelta(seconds=60)
# The first page of a run answered within this factor of the run's median time is one of it.
SERIAL_FIRST_FACTOR = 1.5
# Tickets carry whole seconds, so a page's opening is known to within a second.
TICKET_RESOLUTION = dt.timedelta(seconds=1)
# Pace: this many submissions from one address and browser within PACE_WINDOW are pages opened
# ahead and sent by machine; a crowd's submissions spread over the minutes people take to answer.
PACE_COUNT = 8
PACE_WINDOW = dt.timedelta(seconds=5)
# The same with any browser string: more submissions from one address in a shorter window.
PACE_ADDRESS_COUNT = 20
PACE_ADDRESS_WINDOW = dt.timedelta(seconds=3)
# Ahead: this many pages opened by one address and browser within AHEAD_WINDOW (one a second):
# no person opens pages that fast, a script fetching forms to send later does. A hall reaches it
# only if some 200 people a minute behind one address open the page, a third of them with the
# same phone and WeChat version (a meeting of 500 in 20 minutes is a tenth of that).
AHEAD_COUNT = 10
AHEAD_WINDOW = dt.timedelta(seconds=10)
# The same browser's pages opened this close before or after such a volley belong to it (the
# script's first pages are slow while the server is busy).
AHEAD_REACH = dt.timedelta(seconds=30)
# The task worker's scan after submissions looks this far back: a serial run or a volley
# that is still going on shows within it; the daily `scan_integrity` reads whole links.
SCAN_LOOKBACK = dt.timedelta(hours=2)
# Submission times are kept to the second only this long, for the checks above; then
# `coarsen_times` cuts them to the minute, so that a web server's log line (to the second) no
# longer matches a stored row (issue 14 §11). Two days cover the task worker's scans and two
# daily runs of `scan_integrity`; the time-based checks never read coarsened rows.
TIMING_HORIZON = dt.timedelta(days=2)
# Expected audience (参会人数): a margin of 20 %, at least 5 people, for those who came unannounced.
AUDIENCE_MARGIN_SHARE = 0.2
AUDIENCE_MARGIN_MIN = 5
# The same non-empty comment this many times on one link suggests handed-out "标准答案"
# (the 2021 county case behind the rules against formalism).
DUPLICATE_COMMENT_COUNT = 3
# Short comments ("很好", "满意") repeat naturally among honest residents: only longer ones count.
DUPLICATE_COMMENT_MIN_CHARS = 8


@dataclass(frozen=True)
class Row:
    pk: int
    ip: str
    ua: str
    submitted: dt.datetime
    seconds: int | None
    device: str
    to_minute: bool = False
    channel: str = Response.Channel.WEB
    helper: int | None = None

    @property
    def opened(self) -> dt.datetime | None:
        return None if self.seconds is None else self.submitted - dt.timedelta(seconds=self.seconds)


@dataclass
class Found:
    """Responses one check flags together, as one cluster, with the evidence."""

    code: str
    cluster: str
    evidence: dict
    pks: list = field(default_factory=list)


def _rows(link_id: int, since: dt.datetime | None) -> list[Row]:
    values = Response.objects.filter(link_id=link_id).order_by("submitted_at", "pk")
    if since is not None:
        values = values.filter(submitted_at__gte=since)
    return [
        Row(*r)
        for r in values.values_list(
            "pk",
            "ip_hash",
            "ua_hash",
            "submitted_at",
            "seconds_taken",
            "device_id",
            "submitted_to_minute",
            "channel",
            "helper_id",
        )
    ]


def _grouped(rows, key) -> dict:
    groups = defaultdict(list)
    for row in rows:
        if row.ip and row.opened is not None:
            groups[key(row)].append(row)
    return groups


def _serial_runs(group: list[Row]):
    """Runs of pages opened one after the other: each opened after every earlier page of the
    group was submitted, within SERIAL_GAP of the last submission. A page that was open while
    another was being answered belongs to a crowd and never to a run."""
    run, last = [], None
    for row in sorted(group, key=lambda r: (r.opened, r.pk)):
        if last is not None and row.opened < last - TICKET_RESOLUTION:
            yield run
            run = []
        elif last is None or row.opened > last + SERIAL_GAP:
            yield run
            run = [row]
        else:
            run.append(row)
        last = row.submitted if last is None else max(last, row.submitted)
    yield run


def _repeats(run: list[Row]) -> list[Row]:
    """The responses of a run that wait for review: all but the first, and the first too when
    it was answered as fast as the rest. A first page read at length may be the last resident
    of a meeting just before someone began rating again and again from the same Wi-Fi."""
    usual = statistics.median(row.seconds for row in run[1:])
    return run if run[0].seconds <= SERIAL_FIRST_FACTOR * usual else run[1:]


def serial(rows: list[Row]) -> list[Found]:
    found = []
    for ip, group in _grouped(rows, lambda r: r.ip).items():
        runs = [run for run in _serial_runs(group) if len(run) >= SERIAL_COUNT]
        if runs:
            gaps = [
                (b.opened - a.submitted).total_seconds()
                for run in runs
                for a, b in itertools.pairwise(run)
            ]
            repeats = [row.pk for run in runs for row in _repeats(run)]
            evidence = {
                "count": sum(len(run) for run in runs),
                "gap": math.ceil(max(gaps, default=0)),
            }
            found.append(Found("serial", f"serial:{ip[:16]}", evidence, repeats))
    return found


def _volleys(group: list[Row], count: int, window: dt.timedelta, at=lambda r: r.submitted):
    """Rows inside any `window` that holds at least `count` submissions (or `at` times)."""
    members, start = set(), 0
    group = sorted(group, key=lambda r: (at(r), r.pk))
    for end, row in enumerate(group):
        while at(row) - at(group[start]) > window:
            start += 1
        if end - start + 1 >= count:
            members.update(group[start : end + 1])
    return members


def _pace_found(code_key: str, members: set, window: dt.timedelta) -> Found:
    ordered = sorted(members, key=lambda r: r.submitted)
    evidence = {
        "count": len(ordered),
        "seconds": math.ceil(window.total_seconds()),
        "opened": max(r.seconds for r in ordered),
    }
    return Found("pace", f"pace:{code_key}", evidence, [r.pk for r in ordered])


def pace(rows: list[Row]) -> list[Found]:
    found = {}
    for (ip, ua), group in _grouped(rows, lambda r: (r.ip, r.ua)).items():
        members = _volleys(group, PACE_COUNT, PACE_WINDOW)
        if members:
            found[ip] = _pace_found(f"{ip[:16]}:{ua[:8]}", members, PACE_WINDOW)
    for ip, group in _grouped(rows, lambda r: r.ip).items():
        members = _volleys(group, PACE_ADDRESS_COUNT, PACE_ADDRESS_WINDOW)
        if members and ip not in found:
            found[ip] = _pace_found(ip[:16], members, PACE_ADDRESS_WINDOW)
        elif members:
            found[ip].pks = sorted(set(found[ip].pks) | {r.pk for r in members})
            found[ip].evidence["count"] = len(found[ip].pks)
    return list(found.values())


def ahead(rows: list[Row]) -> list[Found]:
    found = []
    for (ip, ua), group in _grouped(rows, lambda r: (r.ip, r.ua)).items():
        members = _volleys(group, AHEAD_COUNT, AHEAD_WINDOW, at=lambda r: r.opened)
        if members:
            low = min(r.opened for r in members) - AHEAD_REACH
            high = max(r.opened for r in members) + AHEAD_REACH
            members |= {r for r in group if low <= r.opened <= high}
            opened = [r.opened for r in members]
            span = (max(opened) - min(opened)).total_seconds()
            evidence = {"count": len(members), "seconds": max(1, math.ceil(span))}
            pks = sorted(r.pk for r in members)
            found.append(Found("ahead", f"ahead:{ip[:16]}:{ua[:8]}", evidence, pks))
    return found


def helper_pace(rows: list[Row]) -> list[Found]:
    """Assisted responses one helper sent on a link faster than residents answer: more than
    ASSISTED_PACE_COUNT within ASSISTED_PACE_WINDOW (surveys/rules.py), one cluster per helper."""
    by_helper = defaultdict(list)
    for row in rows:
        if row.channel == Response.Channel.ASSISTED:
            by_helper[row.helper].append(row)
    found = []
    for helper, group in by_helper.items():
        members = _volleys(group, ASSISTED_PACE_COUNT + 1, ASSISTED_PACE_WINDOW)
        if members:
            minutes = math.ceil(ASSISTED_PACE_WINDOW.total_seconds() / 60)
            evidence = {"count": len(members), "minutes": minutes}
            pks = sorted(r.pk for r in members)
            found.append(Found("helper_pace", f"helper_pace:{helper}", evidence, pks))
    return found


def audience_limit(audience: int) -> int:
    """How many responses a meeting of `audience` people may plausibly give."""
    return audience + max(AUDIENCE_MARGIN_MIN, math.ceil(audience * AUDIENCE_MARGIN_SHARE))


def beyond_audience(rows: list[Row], audience: int | None, earlier: int = 0) -> list[Found]:
    """`earlier`: how many responses the link had before `rows` begin."""
    if not audience:
        return []
    limit = audience_limit(audience)
    found = []
    for rank, row in enumerate(rows, start=earlier + 1):
        if rank > limit:
            evidence = {"audience": audience, "rank": rank, "limit": limit}
            found.append(Found("beyond_audience", "audience", evidence, [row.pk]))
    return found


def duplicate_comments(link_id: int) -> list[Found]:
    by_text = defaultdict(list)
    comments = Answer.objects.filter(response__link_id=link_id, question__code="comment")
    for pk, text in comments.exclude(text="").values_list("response_id", "text"):
        if len(text) >= DUPLICATE_COMMENT_MIN_CHARS:
            by_text[text].append(pk)
    return [
        Found(
            "duplicate_comment",
            "comment:" + hashlib.sha256(text.encode()).hexdigest()[:16],
            {"count": len(pks)},
            pks,
        )
        for text, pks in by_text.items()
        if len(pks) >= DUPLICATE_COMMENT_COUNT
    ]


def submission_checks(rows: list[Row]) -> list[Found]:
    """The checks made at submission time, re-run from what was stored."""
    found = []
    for row in rows:
        flags = integrity_flags_at_submission(
            has_device_cookie=not row.device.startswith("nocookie:"), seconds_taken=row.seconds
        )
        found += [Found(code, code, evidence, [row.pk]) for code, evidence in flags.items()]
    return found


def apply(found: list[Found]) -> dict:
    """Record the flags not recorded yet; a response flagged for the first time waits for review.
    Rows are locked in primary-key order, so concurrent scans never deadlock."""
    wanted = {(pk, f.code): f for f in found for pk in f.pks}
    have = set(
        Flag.objects.filter(response__in={pk for pk, _ in wanted}).values_list(
            "response_id", "code"
        )
    )
    new = {key: f for key, f in wanted.items() if key not in have}
    codes_of = defaultdict(list)
    for pk, code in sorted(new):
        codes_of[pk].append(code)
    counts = defaultdict(int)
    responses = Response.objects.select_for_update().filter(pk__in=codes_of).order_by("pk")
    for response in responses.only("pk", "flags", "review"):
        for code in codes_of[response.pk]:
            counts[code] += 1
            if code not in response.flags:
                response.flags = [*response.flags, code]
        if response.review == Response.Review.VALID:
            response.review = Response.Review.FLAGGED
        response.save(update_fields=["flags", "review"])
    rows = [Flag(response_id=pk, code=code, **_fields(f)) for (pk, code), f in sorted(new.items())]
    Flag.objects.bulk_create(rows, ignore_conflicts=True)
    return dict(counts)


def _fields(found: Found) -> dict:
    return {"cluster": found.cluster, "evidence": found.evidence}


@transaction.atomic
def scan_link(link_id: int, since: dt.datetime | None = None) -> dict:
    """Every check over a link's responses submitted since `since` (all when None); returns
    {code: newly flagged}. Running it again changes nothing; a flag once raised stays until a
    reviewer decides. The task worker scans the last SCAN_LOOKBACK, so its work grows with the
    recent responses, not with the link's history; the daily command scans whole links."""
    rows = _rows(link_id, since)
    # Rows past the horizon hold times to the minute only: no check of seconds reads them.
    timed = [row for row in rows if not row.to_minute]
    earlier = (
        Response.objects.filter(link_id=link_id, submitted_at__lt=since).count() if since else 0
    )
    audience = RatingLink.objects.filter(pk=link_id).values_list("expected_audience", flat=True)
    # Assisted responses come from the helper's one phone by design: the address checks would
    # flag every resident helped; the helper's own pace stands in for them (issue 19 §4).
    phones = [row for row in timed if row.channel != Response.Channel.ASSISTED]
    found = [
        *submission_checks(timed),
        *serial(phones),
        *pace(phones),
        *ahead(phones),
        *helper_pace(timed),
        *beyond_audience(rows, audience.first(), earlier),
        *duplicate_comments(link_id),
    ]
    return apply(found)


def coarsen_times(before: dt.datetime | None = None) -> int:
    """Cut the submission times older than TIMING_HORIZON (or `before`) to the minute; returns
    how many rows changed. Idempotent: a row once cut is marked and never read again."""
    before = before or timezone.now() - TIMING_HORIZON
    old = Response.objects.filter(submitted_at__lt=before, submitted_to_minute=False)
    minute = TruncMinute("submitted_at", tzinfo=dt.UTC)
    return old.update(submitted_at=minute, submitted_to_minute=True)
