"""The ballot part of the engine: one-time codes with a check character, a code works once,
guessing is rate-limited, and the voter's pages work without JavaScript."""

import hashlib
import hmac
import logging
import random
import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from surveys.ballots import codes
from surveys.ballots import services as voting
from surveys.ballots.models import AdmissionCode, Ballot, BallotBox

pytestmark = pytest.mark.django_db

OPTIONS = {
    "intro": "请对以下党员逐一评定等次。",
    "groups": {"g1": "党员"},
    "items": [
        {
            "key": key,
            "label": name,
            "note": "",
            "choices": [
                {"value": "excellent", "label": "优秀"},
                {"value": "qualified", "label": "合格"},
                {"value": "unqualified", "label": "不合格"},
            ],
        }
        for key, name in (("s1", "张红"), ("s2", "李明"))
    ],
}
VOTE = {"s1": "excellent", "s2": "unqualified"}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def box():
    box = BallotBox.objects.create(title="上坪村党支部民主评议党员", options=OPTIONS)
    voting.open_box(box=box)
    return box


def issue(box, n=3, group="g1") -> list[str]:
    return [code for _serial, code in voting.issue_codes(box=box, group=group, count=n)]


def post_vote(client, code, answers=VOTE, **extra):
    return client.post("/b/", {"code": code, "vote": "1", **answers}, **extra)


# --- the code format ---------------------------------------------------------------------


def sample_codes(n=150):
    rng = random.Random(5)
    bodies = ("".join(rng.choice(codes.ALPHABET) for _ in range(9)) for _ in range(n))
    return [b + codes.check_character(b) for b in bodies]


def test_codes_are_ten_unambiguous_characters_with_a_valid_check():
    issued = {codes.new_code() for _ in range(2000)}
    assert len(issued) == 2000
    for code in issued:
        assert len(code) == 10 and not set(code) & set("01OIL")
        assert codes.normalize(code) == code
    assert codes.display("K7QM3XR9TC") == "K7QM3-XR9TC"
    assert codes.MODULUS == 31 and len(set(codes.ALPHABET)) == 31


def test_every_single_character_typo_fails_the_check():
    for code in sample_codes():
        for i in range(10):
            for wrong in codes.ALPHABET:
                if wrong != code[i]:
                    typo = code[:i] + wrong + code[i + 1 :]
                    with pytest.raises(codes.CodeFormatError) as error:
                        codes.normalize(typo)
                    assert error.value.kind == "check"


def test_every_transposition_fails_the_check():
    for code in sample_codes():
        for i in range(10):
            for j in range(i + 1, 10):  # adjacent (j = i + 1) and every other pair
                if code[i] != code[j]:
                    swapped = list(code)
                    swapped[i], swapped[j] = swapped[j], swapped[i]
                    assert not codes.is_well_formed("".join(swapped))


def test_typing_is_forgiving_but_lookalikes_are_explained():
    code = sample_codes(1)[0]
    typed = f" {code[:5].lower()}-{code[5:]} "
    assert codes.normalize(typed) == code
    for bad, kind in (
        (code[:9], "length"),
        ("O" + code[1:], "lookalike"),
        ("#" + code[1:], "character"),
    ):
        with pytest.raises(codes.CodeFormatError) as error:
            codes.normalize(bad)
        assert error.value.kind == kind


def test_only_a_keyed_hash_of_the_code_is_stored(box):
    code = issue(box, 1)[0]
    slip = AdmissionCode.objects.get(box=box)
    key = settings.SECRET_KEY.encode()
    assert (
        slip.code_hash == hmac.new(key, b"ballot-code:" + code.encode(), hashlib.sha256).hexdigest()
    )
    stored = [str(v) for v in AdmissionCode.objects.values_list().get()]
    assert not any(code in value for value in stored)
    assert [f.name for f in AdmissionCode._meta.get_fields()] == [
        "id",
        "box",
        "group",
        "serial",
        "code_hash",
        "status",
    ]


# --- a code works once -------------------------------------------------------------------


def test_a_code_works_once(box):
    code = issue(box, 1)[0]
    voting.cast_ballot(code=code, answers=VOTE)
    with pytest.raises(voting.BallotError) as error:
        voting.cast_ballot(code=code, answers={"s1": "qualified", "s2": "qualified"})
    assert error.value.code == "used" and "只能使用一次" in str(error.value)
    assert list(Ballot.objects.values_list("group", "answers")) == [("g1", VOTE)]
    assert AdmissionCode.objects.get().status == AdmissionCode.Status.USED


def test_the_voter_votes_by_qr_url_without_javascript(client, box):
    code = issue(box, 1)[0]
    page = client.get(f"/b/{code}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<script" not in html and 'name="viewport"' in html
    for text in ("上坪村党支部民主评议党员", "张红", "李明", "优秀", "不合格", "评议组：党员"):
        assert text in html
    assert "checked" not in html  # nothing preselected
    assert f'value="{codes.display(code)}"' in html
    done = post_vote(client, codes.display(code))
    assert done.status_code == 200 and "您的选票已投入票箱" in done.content.decode()
    again = post_vote(client, code)
    assert again.status_code == 409 and "已经投过票" in again.content.decode()
    rescanned = client.get(f"/b/{code}/")
    assert rescanned.status_code == 200 and "已经投过票" in rescanned.content.decode()
    assert Ballot.objects.count() == 1


def test_a_code_typed_by_hand_on_the_plain_page(client, box):
    code = issue(box, 1)[0]
    page = client.get("/b/")
    assert page.status_code == 200 and 'name="code"' in page.content.decode()
    typed = f"{code[:5].lower()} {code[5:].lower()}"
    ballot = client.post("/b/", {"code": typed})
    assert ballot.status_code == 200 and "张红" in ballot.content.decode()
    assert post_vote(client, typed).status_code == 200
    assert Ballot.objects.count() == 1


def test_an_incomplete_ballot_keeps_what_was_chosen_and_does_not_use_the_code(client, box):
    code = issue(box, 1)[0]
    page = post_vote(client, code, answers={"s1": "qualified"})
    html = page.content.decode()
    assert page.status_code == 400 and "请选择一个等次" in html
    assert re.search(r'value="qualified"[^>]*checked', html)
    assert AdmissionCode.objects.get().status == AdmissionCode.Status.ISSUED
    forged = post_vote(client, code, answers={"s1": "qualified", "s2": "made-up"})
    assert forged.status_code == 400 and not Ballot.objects.exists()
    with pytest.raises(voting.BallotError):
        voting.cast_ballot(code=code, answers={"s1": "qualified"})


# --- guessing ----------------------------------------------------------------------------


def test_a_typo_is_caught_before_it_counts_as_a_guess(client, box, settings):
    settings.BALLOT_GUESSES_PER_ADDRESS = 2
    code = issue(box, 1)[0]
    typo = code[:3] + code[4] + code[3] + code[5:] if code[3] != code[4] else code[1:] + "2"
    for _ in range(6):
        page = client.post("/b/", {"code": typo})
        assert page.status_code == 400 and "校验位不符" in page.content.decode()
        assert "不计入尝试次数" in page.content.decode()
    assert client.post("/b/", {"code": code}).status_code == 200  # still admitted


def test_guessing_is_rate_limited_per_address(client, box, settings):
    settings.BALLOT_GUESSES_PER_ADDRESS = 3
    code = issue(box, 1)[0]
    for _ in range(3):
        page = client.post("/b/", {"code": codes.new_code()})
        assert page.status_code == 400 and "没有这个投票码" in page.content.decode()
    blocked = client.post("/b/", {"code": codes.new_code()})
    assert blocked.status_code == 429 and "次数过多" in blocked.content.decode()
    # a blocked address still votes with a real slip (issue 14 §9): limits stop guessers only
    admitted = client.post("/b/", {"code": code})
    assert admitted.status_code == 200 and "张红" in admitted.content.decode()
    other = client.post("/b/", {"code": codes.new_code()}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 400  # another address guesses on its own count


def test_guessing_spread_over_addresses_meets_the_site_wide_limit(client, box, settings):
    settings.BALLOT_GUESSES_PER_SITE = 5
    for i in range(5):
        client.post("/b/", {"code": codes.new_code()}, REMOTE_ADDR=f"10.0.1.{i}")
    page = client.post("/b/", {"code": codes.new_code()}, REMOTE_ADDR="10.0.2.1")
    assert page.status_code == 429


def test_a_code_in_the_path_never_reaches_the_request_log(client, box, caplog):
    caplog.set_level(logging.WARNING, logger="django.request")
    wrong = codes.new_code()
    page = client.get(f"/b/{wrong}/")
    assert page.status_code == 200 and "没有这个投票码" in page.content.decode()
    assert client.get("/b/NOT-A-CODE/").status_code == 200
    assert wrong not in caplog.text and "NOT-A-CODE" not in caplog.text


# --- when a box takes votes --------------------------------------------------------------


def test_void_codes_and_closed_boxes_are_refused_with_reasons(client, box):
    first, second = issue(box, 2)
    voting.void_codes(box=box, serials=[1])
    assert "已作废" in post_vote(client, first).content.decode()
    with pytest.raises(voting.BallotError):
        voting.void_codes(box=box, serials=[1, 2, 99])  # all or nothing
    assert AdmissionCode.objects.get(serial=2).status == AdmissionCode.Status.ISSUED
    voting.close_box(box=box)
    page = post_vote(client, second)
    assert page.status_code == 400 and "已经结束" in page.content.decode()
    assert not Ballot.objects.exists()
    with pytest.raises(voting.BallotError):
        voting.issue_codes(box=box, group="g1", count=1)


def test_the_voting_window_is_respected(client):
    now = timezone.now()
    box = BallotBox.objects.create(
        title="t", options=OPTIONS, opens_at=now + timezone.timedelta(hours=1)
    )
    code = issue(box, 1)[0]
    assert "尚未开始投票" in client.get(f"/b/{code}/").content.decode()  # still a draft
    voting.open_box(box=box)
    assert "投票尚未开始" in client.get(f"/b/{code}/").content.decode()
    BallotBox.objects.filter(pk=box.pk).update(
        opens_at=now - timezone.timedelta(hours=2), closes_at=now - timezone.timedelta(hours=1)
    )
    assert "投票已经截止" in post_vote(client, code).content.decode()
    assert not Ballot.objects.exists()


def test_closing_rewrites_ballots_under_new_random_ids_in_id_order(box):
    patterns = [
        {"s1": a, "s2": b}
        for a in ("excellent", "qualified", "unqualified")
        for b in ("excellent", "qualified")
    ]
    for code, answers in zip(issue(box, len(patterns)), patterns, strict=True):
        voting.cast_ballot(code=code, answers=answers)
    before = set(Ballot.objects.values_list("id", flat=True))
    voting.close_box(box=box)
    after = list(Ballot.objects.values_list("id", flat=True))
    assert not before & set(after)
    assert sorted(Ballot.objects.values_list("answers", flat=True), key=str) == sorted(
        patterns, key=str
    )
    assert box.ballots.count() == len(patterns)
    with pytest.raises(voting.BallotError):
        voting.close_box(box=box)
