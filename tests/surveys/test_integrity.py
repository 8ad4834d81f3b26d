"""Each detector on hand-built data: what it catches, what it lets pass. Flags go on the
suspicious, never on the crowd; a scan never rejects or deletes, and running it twice changes
nothing."""

import datetime as dt
import io
import random
import uuid

import pytest
from django.core.management import call_command
from django.utils import timezone

from surveys import integrity
from surveys.models import Answer, Flag, Question, Response
from surveys.review import reasons

pytestmark = pytest.mark.django_db

T0 = timezone.make_aware(dt.datetime(2026, 11, 20, 9, 0))


def add(link, *, ip="ip-a", ua="ua-1", opened=0.0, seconds=60, comment="", answers=None):
    """A stored response whose page was opened `opened` seconds after 09:00 and answered in
    `seconds`; built directly, as the task worker finds it."""
    version = link.questionnaire.latest_published()
    response = Response.objects.create(
        link=link,
        version=version,
        submission_id=uuid.uuid4(),
        device_id=uuid.uuid4().hex,
        ip_hash=ip,
        ua_hash=ua,
        seconds_taken=seconds,
        submitted_at=T0 + dt.timedelta(seconds=opened + seconds),
    )
    questions = {q.code: q for q in Question.objects.filter(version=version)}
    for code, value in (answers or {"attitude": 5, "style": 5, "results": 5}).items():
        Answer.objects.create(response=response, question=questions[code], value=value, score=value)
    if comment:
        Answer.objects.create(response=response, question=questions["comment"], text=comment)
    return response


def flagged(code=None):
    rows = Flag.objects.all() if code is None else Flag.objects.filter(code=code)
    return set(rows.values_list("response_id", flat=True))


def crowd(link, n, *, ip="ip-a", ua="ua-1", every=5.0, seconds=(20, 120)):
    """`n` people opening the page every `every` seconds and answering in 20–120 s: their
    pages overlap, as at a meeting."""
    low, high = seconds
    return [
        add(link, ip=ip, ua=ua, opened=i * every, seconds=low + (i * 37) % (high - low))
        for i in range(n)
    ]


def one_phone(link, n, *, start, ip="ip-a", ua=None, seconds=9, reopen=3):
    """One person rating `n` times: submit, clear cookies, reopen `reopen` s later, wait."""
    made, at = [], start
    for i in range(n):
        made.append(add(link, ip=ip, ua=ua or f"ua-varied-{i}", opened=at, seconds=seconds))
        at += seconds + reopen
    return made


# --- serial: one phone, one page after the other --------------------------------------------


def test_serial_catches_one_phone_clearing_its_cookies(visit):
    """6 ratings from one address, each page opened 3 s after the last was sent, 9 s each,
    with a different browser string each time: all 6 flagged as one cluster, with the numbers."""
    link = visit.rating_link
    fakes = one_phone(link, 6, start=0)
    assert integrity.scan_link(link.pk) == {"serial": 6}
    assert flagged("serial") == {r.pk for r in fakes}
    assert len(set(Flag.objects.values_list("cluster", flat=True))) == 1
    text = reasons(fakes[1])[0]
    assert "一份接一份地提交了 6 份评价" in text and "3 秒内" in text


def test_serial_allows_for_tickets_in_whole_seconds(visit):
    """The page is reopened 0.3 s after the last submission, but its ticket says the second
    before: still one after the other, all 5 flagged."""
    link = visit.rating_link
    for i in range(5):
        add(link, opened=i * 9.3 - 0.7 * (i > 0), seconds=9)
    assert integrity.scan_link(link.pk) == {"serial": 5}


def test_serial_lets_a_meeting_pass_even_with_one_browser_and_one_address(visit):
    """40 phones behind one Wi-Fi, identical browser string, a page opened every 5 s and
    answered in 20–120 s: the pages overlap, nothing is flagged."""
    link = visit.rating_link
    crowd(link, 40)
    assert integrity.scan_link(link.pk) == {}
    assert Response.objects.filter(review="valid").count() == 40


def test_serial_lets_pass_four_in_a_row_and_slow_visitors(visit):
    """4 one after the other (below 5), then residents of a village office rating one by one,
    each more than a minute after the last: nothing flagged."""
    link = visit.rating_link
    one_phone(link, integrity.SERIAL_COUNT - 1, start=0)
    for i in range(6):
        add(link, opened=600 + i * 200, seconds=60)
    assert integrity.scan_link(link.pk) == {}


def test_fakes_after_a_meeting_never_take_the_genuine_with_them(visit):
    """25 residents at a meeting (overlapping pages), then 10 fakes from the same address and
    browser in a row right after the last resident: the 10 fakes are flagged, no resident."""
    link = visit.rating_link
    genuine = crowd(link, 25)
    last = max(r.submitted_at for r in genuine)
    start = (last - T0).total_seconds() + 2
    fakes = one_phone(link, 10, start=start, ua="ua-1")
    integrity.scan_link(link.pk)
    assert flagged() == {r.pk for r in fakes}
    assert all(r.review == "valid" for r in Response.objects.filter(pk__in=[g.pk for g in genuine]))


def test_a_late_resident_just_before_the_fakes_is_not_one_of_them(visit):
    """A resident arrives after the meeting, reads for 60 s; 20 s later someone starts rating
    from the same Wi-Fi 8 times, 9 s each: the resident's page starts the run but was read at
    length, so only the 8 are flagged."""
    link = visit.rating_link
    late = add(link, opened=0, seconds=60)
    fakes = one_phone(link, 8, start=80, ua="ua-1")
    assert integrity.scan_link(link.pk) == {"serial": 8}
    assert flagged() == {r.pk for r in fakes}
    late.refresh_from_db()
    assert late.review == "valid"


# --- pace: pages opened ahead, sent by machine ---------------------------------------------


def test_pace_catches_tickets_fetched_in_advance(visit):
    """8 pages opened at 09:00 with one browser string and all sent between 09:00:30 and
    09:00:35: flagged, the evidence says within 5 s, opened 35 s before."""
    link = visit.rating_link
    ahead = [add(link, opened=i * 0.5, seconds=30 + i * 0.2) for i in range(8)]
    assert integrity.scan_link(link.pk) == {"pace": 8}
    assert flagged("pace") == {r.pk for r in ahead}
    assert "5 秒内提交了 8 份评价" in reasons(ahead[0])[0]


def test_pace_lets_a_crowd_with_one_browser_string_pass(visit):
    """8 phones with the same browser string behind one address, sent 20 s apart: not flagged;
    19 different browsers sending within 3 s (a full hall) are not either."""
    link = visit.rating_link
    for i in range(8):
        add(link, opened=i * 20, seconds=40)
    for i in range(integrity.PACE_ADDRESS_COUNT - 1):
        add(link, ip="ip-hall", ua=f"ua-{i}", opened=300 - i * 7, seconds=60 + i * 7 + i * 0.1)
    assert integrity.scan_link(link.pk) == {}


def test_pace_on_one_address_with_any_browser(visit):
    """20 different browser strings from one address within 3 s: flagged as one cluster."""
    link = visit.rating_link
    made = [add(link, ua=f"ua-{i}", opened=i * 0.1, seconds=20 + i * 0.05) for i in range(20)]
    assert integrity.scan_link(link.pk) == {"pace": 20}
    assert flagged("pace") == {r.pk for r in made}


# --- expected audience, instead of bursts ------------------------------------------------------


def test_arrivals_well_beyond_the_expected_audience_are_flagged(visit):
    """参会人数 25: up to 30 responses (25 + 5) are expected; the 31st to 35th are flagged,
    each saying which it was."""
    link = visit.rating_link
    link.expected_audience = 25
    link.save()
    made = [
        add(link, ua=f"ua-{i % 4}", opened=i * 3, seconds=20 + (i * 37) % 100) for i in range(35)
    ]
    order = sorted(made, key=lambda r: (r.submitted_at, r.pk))
    assert integrity.scan_link(link.pk) == {"beyond_audience": 5}
    assert flagged() == {r.pk for r in order[30:]}
    assert "登记参会 25 人，这是第 31 份评价" in reasons(order[30])[0]


def test_a_burst_alone_never_flags(visit):
    """500 phones in 10 minutes behind 3 addresses with 4 browser strings, no audience
    recorded: nothing flagged."""
    link = visit.rating_link
    for i in range(500):
        add(link, ip=f"ip-{i % 3}", ua=f"ua-{i % 4}", opened=i * 1.2, seconds=20 + (i * 37) % 100)
    assert integrity.scan_link(link.pk) == {}


def test_audience_margin_is_at_least_five_and_a_fifth():
    assert integrity.audience_limit(10) == 15
    assert integrity.audience_limit(500) == 600


# --- duplicated comments, all-5 answers ----------------------------------------------------------


def test_duplicated_long_comment_is_flagged_short_ones_are_not(visit):
    link = visit.rating_link
    same = [
        add(link, ip=f"ip-{i}", opened=i * 300, comment="书记工作很好，群众非常满意")
        for i in range(3)
    ]
    for i in range(5):
        add(link, ip=f"ip-s{i}", opened=2000 + i * 300, comment="很好")
    assert integrity.scan_link(link.pk) == {"duplicate_comment": 3}
    assert flagged() == {r.pk for r in same}
    assert "出现 3 次" in reasons(same[0])[0]


def test_all_fives_from_different_phones_are_never_flagged(visit):
    link = visit.rating_link
    for i in range(12):
        add(link, ip=f"ip-{i}", opened=i * 10, seconds=40)
    assert integrity.scan_link(link.pk) == {}


# --- the scan: every check, idempotent, kept -----------------------------------------------------


def test_scan_integrity_reruns_every_check_and_is_idempotent(visit):
    """Stored without any check (as if the worker was down): the daily command flags the
    serial run, the speeders and the arrivals beyond the audience; a second run adds nothing."""
    link = visit.rating_link
    link.expected_audience = 3
    link.save()
    fakes = one_phone(link, 5, start=0)
    crowd(link, 3, ip="ip-c", every=10)
    quick = add(link, ip="ip-b", opened=2000, seconds=3)  # the 9th, of at most 3 + 5
    call_command("scan_integrity", "--days", "3650")
    assert flagged("serial") == {r.pk for r in fakes}
    assert flagged("speeder") == {quick.pk}
    assert flagged("beyond_audience") == {quick.pk}
    before = list(Flag.objects.order_by("pk").values_list("pk", "response_id", "code"))
    assert integrity.scan_link(link.pk) == {}
    assert list(Flag.objects.order_by("pk").values_list("pk", "response_id", "code")) == before
    assert Response.objects.count() == 9  # nothing deleted


# --- ahead: many pages opened at once by one browser -------------------------------------------


def test_ahead_catches_pages_fetched_by_a_script_and_sent_slowly(visit):
    """A script's first 3 pages open 5 s apart (the server is busy), the next 12 within 7 s,
    all sent one every 6 s from 09:01 (slow enough for the pace check): all 15 flagged as
    opened ahead; a page of the same browser opened 2 minutes later is not."""
    link = visit.rating_link
    slow = [add(link, opened=i * 5, seconds=60 - i * 5 + i * 6) for i in range(3)]
    made = slow + [add(link, opened=15 + i * 0.6, seconds=63 + i * 6) for i in range(12)]
    later = add(link, opened=140, seconds=40)
    assert integrity.scan_link(link.pk) == {"ahead": 15}
    assert flagged("ahead") == {r.pk for r in made}
    assert "22 秒内打开了 15 个评价页面" in reasons(made[0])[0]
    later.refresh_from_db()
    assert later.review == "valid"


def test_ahead_lets_a_hall_scanning_at_once_pass(visit):
    """A hall told to scan now: 150 phones open the page within 2 minutes behind one address,
    a third with the same browser string, answering in 20–120 s: nothing flagged."""
    link = visit.rating_link
    rng = random.Random(11)
    for i in range(150):
        ua = "ua-top" if i % 3 == 0 else f"ua-{i % 7}"
        add(link, ua=ua, opened=rng.uniform(0, 120), seconds=rng.randint(20, 120))
    assert integrity.scan_link(link.pk) == {}


def test_a_recent_scan_reads_only_the_lookback_and_ranks_against_the_whole_link(visit):
    """参会人数 3 (limit 8): 7 responses last week, then 3 today; the worker's scan reads only
    today's, yet knows they are the 8th to 10th: the 9th and 10th are flagged."""
    link = visit.rating_link
    link.expected_audience = 3
    link.save()
    for i in range(7):
        add(link, ip=f"ip-old{i}", opened=-7 * 86400 + i * 600)
    today = [add(link, ip=f"ip-new{i}", opened=i * 600) for i in range(3)]
    since = T0 - integrity.SCAN_LOOKBACK
    assert integrity.scan_link(link.pk, since=since) == {"beyond_audience": 2}
    assert flagged() == {r.pk for r in today[1:]}


# --- times to the minute after the horizon (issue 14 §11) ------------------------------------


def test_submission_times_are_cut_to_the_minute_after_the_horizon(visit):
    """A web server's log line (to the second) must not match a stored row. Times stay exact
    for two days, for the checks; then the daily job cuts them to the minute, once."""
    link = visit.rating_link
    old = add(link, opened=17.25, seconds=41)  # submitted 09:00:58.25, ten days ago
    recent = add(link, opened=0, seconds=30)
    Response.objects.filter(pk=recent.pk).update(
        submitted_at=timezone.now() - dt.timedelta(hours=5, seconds=7.5)
    )
    exact = Response.objects.get(pk=recent.pk).submitted_at
    assert integrity.coarsen_times() == 1
    old.refresh_from_db()
    assert old.submitted_at == T0 and old.submitted_to_minute  # 09:00:58.25 -> 09:00
    assert Response.objects.get(pk=recent.pk).submitted_at == exact
    assert integrity.coarsen_times() == 0


def test_a_meeting_cut_to_the_minute_is_never_taken_for_a_volley(visit):
    """Scenario: 12 people behind one address and browser submit within one minute (9:01:02 to
    9:01:57). Cut to the minute, they would all stand at 9:01:00, eight 'within five seconds':
    the pace check would flag the meeting on the next daily run. Cut rows are never read by the
    checks of seconds."""
    link = visit.rating_link
    for i in range(12):
        add(link, opened=i * 5, seconds=62)
    assert integrity.scan_link(link.pk) == {}
    integrity.coarsen_times()
    assert Response.objects.filter(submitted_to_minute=False).count() == 0
    assert integrity.scan_link(link.pk) == {}
    assert flagged() == set()


def test_the_daily_command_cuts_the_times_after_scanning(visit):
    link = visit.rating_link
    for i in range(3):
        add(link, ip=f"ip-{i}", opened=i)
    out = io.StringIO()
    call_command("scan_integrity", days=3650, stdout=out)
    assert "3 submission times past the horizon cut to the minute" in out.getvalue()
    assert set(Response.objects.values_list("submitted_at", flat=True)) == {
        T0 + dt.timedelta(minutes=1)
    }
