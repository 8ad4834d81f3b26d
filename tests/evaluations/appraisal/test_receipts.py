"""Ballot receipts: a voter checks that the ballot was counted, and nobody learns the vote.

Scenario: five members of 上坪村's branch vote through the pages and each notes the receipt the
done page shows; a sixth slip is lost and voided. After the close the box publishes five receipts,
equal to the five ballots tallied, with no vote beside them; each voter finds his or her own."""

import re

import pytest
from django.core.cache import cache
from django.db import connection

from evaluations.appraisal import services
from surveys.ballots import models as ballot_models
from surveys.ballots.models import AdmissionCode, Ballot, ReceiptBook
from tests.evaluations.appraisal.helpers import (
    answers_for,
    branch_of,
    issue,
    make_session,
    secretary,
)
from tests.evaluations.appraisal.test_secrecy import PATTERNS, ballot_ids, contains, dump_database

pytestmark = pytest.mark.django_db
RECEIPT = re.compile(r'<p class="receipt" id="receipt">([A-Z0-9]{4}-[A-Z0-9]{4})</p>')


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def voted(client, world):
    branch, _ = branch_of(world)
    shuji = secretary(branch)
    session = make_session(branch, shuji, groups=(("党员", 6, 1),))
    slips = issue(session, shuji)
    receipts = []
    for code, pattern in zip(slips, PATTERNS, strict=False):
        page = client.post("/b/", {"code": code, "vote": "1", **answers_for(session, *pattern)})
        receipts.append(RECEIPT.search(page.content.decode()).group(1))
    services.void_codes(session=session, serials=[6], reissue=False, actor=shuji)
    return session, slips, receipts


def check(client, text):
    return client.post("/b/receipt/", {"receipt": text}).content.decode()


def test_each_voter_gets_a_different_short_receipt(voted):
    _, _, receipts = voted
    assert len(set(receipts)) == len(PATTERNS)
    assert len(ReceiptBook.objects.get().as_list()) == Ballot.objects.count() == len(PATTERNS)


def test_the_receipt_comes_from_the_random_source_alone(client, world, monkeypatch):
    """Whatever the code, voter or time, a fixed random source gives the same receipt: it is
    derived from nothing else."""
    branch, _ = branch_of(world)
    shuji = secretary(branch)
    session = make_session(branch, shuji, groups=(("党员", 2, 1),))
    slips = issue(session, shuji)
    monkeypatch.setattr(ballot_models.secrets, "choice", lambda alphabet: "K")
    page = client.post("/b/", {"code": slips[0], "vote": "1", **answers_for(session, "excellent")})
    assert RECEIPT.search(page.content.decode()).group(1) == "KKKK-KKKK"


def test_before_the_close_a_receipt_is_acknowledged_but_no_list_is_published(client, voted):
    _, _, receipts = voted
    page = check(client, receipts[0].lower().replace("-", " "))  # typed loosely
    assert f"回执 {receipts[0]} 已收到" in page
    assert not any(r in page for r in receipts[1:])


def test_after_the_close_the_list_equals_the_ballots_tallied(client, voted):
    session, _, receipts = voted
    services.close_session(session=session, actor=session.created_by)
    session.refresh_from_db()
    tallied = session.result["ballots"]

    page = check(client, receipts[2])
    listed = re.findall(r"<li[^>]*>([A-Z0-9]{4}-[A-Z0-9]{4})</li>", page)
    assert tallied == len(PATTERNS) == len(listed)
    assert sorted(listed) == listed == sorted(receipts)  # random order, not the order of voting
    assert f'<li class="mine" aria-current="true">{receipts[2]}</li>' in page
    assert f"本次共计票 {tallied} 张，公布回执 {tallied} 个" in page
    for word in ("优秀", "合格", "不合格", "基本合格"):  # no vote beside a receipt
        assert word not in page


def test_unknown_and_malformed_receipts(client, voted):
    assert "没有找到这个回执" in check(client, "KKKK-KKKK")
    assert "回执应为8位" in check(client, "KKKK-KKK0")
    assert "回执应为8位" in check(client, "KKKK")
    assert client.get("/b/receipt/").status_code == 200


def test_wrong_receipts_count_as_guesses_but_never_pause_voting(client, world, settings):
    settings.BALLOT_GUESSES_PER_ADDRESS = 2
    branch, _ = branch_of(world)
    shuji = secretary(branch)
    session = make_session(branch, shuji, groups=(("党员", 2, 1),))
    slips = issue(session, shuji)
    page = client.post("/b/", {"code": slips[0], "vote": "1", **answers_for(session, "excellent")})
    receipt = RECEIPT.search(page.content.decode()).group(1)
    check(client, "KKKK-KKKK")
    check(client, "KKKK-KKKM")

    refused = client.post("/b/receipt/", {"receipt": receipt})
    assert refused.status_code == 429 and "输入错误的回执次数过多" in refused.content.decode()
    ballot = client.get(f"/b/{slips[1]}/").content.decode()  # the same address still votes
    assert 'name="vote"' in ballot  # the ballot form, not the "too many" refusal
    done = client.post("/b/", {"code": slips[1], "vote": "1", **answers_for(session, "qualified")})
    assert RECEIPT.search(done.content.decode())


def assert_no_row_links_receipts(receipts):
    values = {r.replace("-", "").lower() for r in receipts}
    hashes = {h.lower() for h in AdmissionCode.objects.values_list("code_hash", flat=True)}
    ids = ballot_ids()
    book_table = ReceiptBook._meta.db_table
    for table, rows in dump_database().items():
        for row in rows:
            if table != book_table:
                assert not contains(row, values), f"a receipt outside its table: {table}"
            else:
                assert not contains(row, hashes | ids), "a receipt row names a code or ballot"
    assert {f.column for f in ReceiptBook._meta.concrete_fields} == {"box_id", "values"}


def test_no_row_links_a_receipt_to_a_code_or_a_ballot(voted):
    session, _, receipts = voted
    assert_no_row_links_receipts(receipts)  # while the box is open
    services.close_session(session=session, actor=session.created_by)
    assert_no_row_links_receipts(receipts)  # and after the close


def test_while_voting_the_stored_receipts_have_no_order_to_read(voted):
    """Found by trying: with a row per receipt, receipt row N was ballot row N while the box was
    open. The box keeps one row with its receipts sorted, whatever the order of voting."""
    _, _, receipts = voted
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ReceiptBook._meta.db_table}")
        rows = cursor.fetchall()
    assert len(rows) == 1
    stored = next(v for v in rows[0] if isinstance(v, str) and len(v) > 8).split()
    assert stored == sorted(r.replace("-", "") for r in receipts)


def test_the_branch_publishes_the_list_on_its_results_page(client, voted):
    session, _, receipts = voted
    services.close_session(session=session, actor=session.created_by)
    client.force_login(session.created_by)
    page = client.get(f"/staff/appraisal/{session.pk}/results/").content.decode()
    published = page[page.index('id="receipts"') :]
    assert "　".join(sorted(receipts)) in published
    assert f"共 {len(receipts)} 个回执" in published
