"""Ballot secrecy after the close, also on disk (issue 14 §10).

Scenario: seven votes, then the close. Before, the old ballot rows survived in SQLite's WAL
(each vote's frames held its code's page and its ballot's page) and as dead tuples in
PostgreSQL whose xmin equalled the xmin of the code rows marked used. After the close this test
reads the raw storage, the database and WAL files (SQLite) or every page through pageinspect
(PostgreSQL), and finds no ballot id from voting time and no xmin shared by a ballot and a code."""

from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection

from surveys.ballots import services as voting
from surveys.ballots.models import AdmissionCode, Ballot, BallotBox, ReceiptBook
from tests.surveys.ballots.test_voting import OPTIONS

pytestmark = pytest.mark.django_db(transaction=True)
VOTES = 7


# Receipts in an order of voting whose intermediate sets are never runs of the final sorted set
# (random receipts are, now and then, and the check would then have nothing to look for).
RECEIPTS = ["MMMMMMMM", "AAAAAAAA", "ZZZZZZZZ", "BBBBBBBB", "YYYYYYYY", "CCCCCCCC", "WWWWWWWW"]


@pytest.fixture
def closed_box(monkeypatch):
    fixed = iter(RECEIPTS)
    monkeypatch.setattr(voting, "new_receipt_value", lambda: next(fixed))
    cache.clear()
    voting.scrub_storage()  # rows that earlier tests rolled back are not this test's business
    box = BallotBox.objects.create(title="上坪村党支部民主评议党员", options=OPTIONS)
    voting.open_box(box=box)
    issued = voting.issue_codes(box=box, group="g1", count=VOTES + 2)
    receipts = []
    for i, (_serial, code) in enumerate(reversed(issued[:VOTES])):
        grade = ("excellent", "qualified", "unqualified")[i % 3]
        receipts.append(voting.cast_ballot(code=code, answers={"s1": grade, "s2": "qualified"}))
    box.receipts_in_voting_order = receipts
    voted = list(Ballot.objects.values_list("id", flat=True))
    before = vendor_state(box) if connection.vendor == "postgresql" else None
    voting.close_box(box=box)
    return box, voted, before


def vendor_state(box):
    """PostgreSQL: {table: [(xmin, raw bytes of the tuple)]} of every tuple on every page."""
    found = {}
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
        for model in (Ballot, AdmissionCode):
            table = model._meta.db_table
            cursor.execute(
                "SELECT pg_relation_size(%s) / current_setting('block_size')::int", [table]
            )
            pages = cursor.fetchone()[0]
            rows = []
            for page in range(pages):
                cursor.execute(
                    "SELECT t_xmin::text::bigint, t_data FROM heap_page_items(get_raw_page(%s, %s))"
                    " WHERE lp_len > 0",
                    [table, page],
                )
                rows += cursor.fetchall()
            cursor.execute(
                "SELECT string_agg(encode(get_raw_page(%s, g), 'hex'), '')"
                " FROM generate_series(0, %s - 1) g",
                [table, pages],
            )
            found[table] = (rows, bytes.fromhex(cursor.fetchone()[0] or ""))
    return found


def test_no_link_survives_on_disk(closed_box):
    box, voted, before = closed_box
    assert Ballot.objects.filter(box=box).count() == VOTES
    assert not set(Ballot.objects.values_list("id", flat=True)) & set(voted)
    assert AdmissionCode.objects.filter(box=box, status="used").count() == VOTES
    if connection.vendor == "sqlite":
        assert_sqlite_files_hold_no_link(voted)
    else:
        assert_postgresql_pages_hold_no_link(voted, before)


def assert_sqlite_files_hold_no_link(voted):
    path = Path(connection.settings_dict["NAME"])
    wal = Path(f"{path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # checkpointed and truncated
    data = path.read_bytes()
    for ballot_id in voted:
        assert ballot_id.hex.encode() not in data


def assert_postgresql_pages_hold_no_link(voted, before):
    ballot_table, code_table = Ballot._meta.db_table, AdmissionCode._meta.db_table
    # Before the close, the link was there: a ballot's xmin was a used code's xmin.
    linked = {x for x, _ in before[ballot_table][0]} & {x for x, _ in before[code_table][0]}
    assert len(linked) == VOTES
    after = vendor_state(None)
    ballot_xmins = {x for x, _ in after[ballot_table][0]}
    code_xmins = {x for x, _ in after[code_table][0]}
    assert len(ballot_xmins) == len(code_xmins) == 1  # each rewritten at once while closing
    assert not ballot_xmins & code_xmins and not (ballot_xmins | code_xmins) & linked
    for ballot_id in voted:  # no dead tuple of voting time, not even as stray bytes
        assert ballot_id.bytes not in after[ballot_table][1]


def earlier_receipt_sets(receipts) -> list[bytes]:
    """The box's receipt set as it stood after each vote but the last, where that text is not
    also part of the final set (it would then tell nothing)."""
    final = " " + " ".join(sorted(receipts)) + " "
    earlier = (" " + " ".join(sorted(receipts[:k])) + " " for k in range(2, len(receipts)))
    return [s.encode() for s in earlier if s not in final]


def test_no_earlier_receipt_set_survives_on_disk(closed_box):
    """Each vote rewrote the box's one receipt row; the sets it held on the way would tell in
    which order receipts were added, so none may remain in the files or pages after the close."""
    box, _, _ = closed_box
    stale = earlier_receipt_sets(box.receipts_in_voting_order)
    assert stale  # the fixed order of RECEIPTS leaves sets that differ from the final text
    if connection.vendor == "sqlite":
        path = Path(connection.settings_dict["NAME"])
        data = path.read_bytes() + (
            Path(f"{path}-wal").read_bytes() if Path(f"{path}-wal").exists() else b""
        )
    else:
        with connection.cursor() as cursor:
            table = ReceiptBook._meta.db_table
            cursor.execute(
                "SELECT pg_relation_size(%s) / current_setting('block_size')::int", [table]
            )
            pages = cursor.fetchone()[0]
            cursor.execute(
                "SELECT string_agg(encode(get_raw_page(%s, g), 'hex'), '')"
                " FROM generate_series(0, %s - 1) g",
                [table, pages],
            )
            data = bytes.fromhex(cursor.fetchone()[0] or "")
    assert not [s for s in stale if s in data]
