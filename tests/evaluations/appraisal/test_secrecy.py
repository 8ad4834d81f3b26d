"""Secrecy you can prove: after real votes through the pages, every table of the database (found
by introspecting the schema, not from a list of known columns) is dumped row by row, and nothing
links a code to a ballot; the ballot table itself can hold no code, voter, address or time."""

import re

import pytest
from django.core.cache import cache
from django.db import connection

from evaluations.appraisal import services
from surveys.ballots import codes
from surveys.ballots.models import AdmissionCode, Ballot, BallotBox
from tests.evaluations.appraisal.helpers import (
    answers_for,
    branch_of,
    issue,
    make_session,
    secretary,
)

pytestmark = pytest.mark.django_db

TIME_TYPES = {"DateTimeField", "DateField", "TimeField", "DurationField"}
LINKING_NAMES = re.compile(
    r"code|serial|user|voter|member|ip|addr|device|agent|session|time|date|_at$"
)
PATTERNS = [
    ("excellent", "qualified", "unqualified"),
    ("qualified", "qualified", "qualified"),
    ("basic_qualified", "excellent", "qualified"),
    ("unqualified", "basic_qualified", "excellent"),
    ("qualified", "excellent", "basic_qualified"),
]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def dump_database() -> dict[str, list[tuple[str, ...]]]:
    """Every row of every table, each value as text."""
    quote = connection.ops.quote_name
    rows = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {quote(table)}")
            rows[table] = [tuple(str(v).lower() for v in row) for row in cursor.fetchall()]
    return rows


def contains(row: tuple[str, ...], needles: set[str]) -> bool:
    return any(needle in value for value in row for needle in needles)


def ballot_ids() -> set[str]:
    ids = Ballot.objects.values_list("id", flat=True)
    return {i.hex for i in ids} | {str(i) for i in ids}


def physical_order() -> list[str]:
    """Ballot ids in the order the database stores them (SQLite rowid, PostgreSQL ctid)."""
    position = "ctid" if connection.vendor == "postgresql" else "rowid"
    table = Ballot._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} ORDER BY {position}")
        return [str(row[0]).replace("-", "") for row in cursor.fetchall()]


@pytest.fixture
def voted(client, world):
    """Five voters scan their slips and vote through the pages; a sixth slip is lost and voided."""
    branch, _ = branch_of(world)
    shuji = secretary(branch)
    session = make_session(branch, shuji, groups=(("党员", 6, 1),))
    slips = issue(session, shuji)
    for code, pattern in zip(slips, PATTERNS, strict=False):
        assert client.get(f"/b/{code}/").status_code == 200
        answers = answers_for(session, *pattern)
        page = client.post("/b/", {"code": code, "vote": "1", **answers})
        assert "您的选票已投入票箱" in page.content.decode()
    services.void_codes(session=session, serials=[6], reissue=False, actor=shuji)
    return session, slips


def assert_nothing_links_codes_to_ballots(slips):
    code_rows = AdmissionCode.objects.values_list("code_hash", flat=True)
    hashes = {h.lower() for h in code_rows}
    plain = {c.lower() for c in slips} | {codes.display(c).lower() for c in slips}
    ids = ballot_ids()
    dump = dump_database()
    ballot_table, code_table = Ballot._meta.db_table, AdmissionCode._meta.db_table
    assert len(dump[ballot_table]) == len(PATTERNS) and len(dump[code_table]) == len(slips)
    for table, rows in dump.items():
        for row in rows:
            assert not contains(row, plain), f"a code in clear in {table}"
            assert not (contains(row, hashes) and contains(row, ids)), f"a link in {table}"
            if table != ballot_table:
                assert not contains(row, ids), f"a ballot id outside the ballot table: {table}"
            if table != code_table:
                assert not contains(row, hashes), f"a code hash outside the code table: {table}"


def test_no_row_of_any_table_links_a_code_to_a_ballot(voted):
    session, slips = voted
    assert_nothing_links_codes_to_ballots(slips)  # while the box is open
    services.close_session(session=session, actor=session.created_by)
    assert_nothing_links_codes_to_ballots(slips)  # and after the close


def test_the_ballot_table_cannot_hold_a_code_voter_address_or_time(voted):
    introspection = connection.introspection
    ballot_table = Ballot._meta.db_table
    with connection.cursor() as cursor:
        columns = introspection.get_table_description(cursor, ballot_table)
        constraints = introspection.get_constraints(cursor, ballot_table)
        every_table = introspection.table_names(cursor)
        every_fk = [
            (table, c["foreign_key"])
            for table in every_table
            for c in introspection.get_constraints(cursor, table).values()
            if c["foreign_key"]
        ]
    types = {col.name: introspection.get_field_type(col.type_code, col) for col in columns}
    assert not TIME_TYPES & set(types.values()), types
    assert not [name for name in types if LINKING_NAMES.search(name)], types
    assert not [t for t in types.values() if "AutoField" in t], "a sequence would tell the order"
    targets = {fk[0] for c in constraints.values() if (fk := c["foreign_key"])}
    assert targets == {BallotBox._meta.db_table}
    code_table = AdmissionCode._meta.db_table
    assert not [(t, fk) for t, fk in every_fk if fk[0] in (code_table, ballot_table)]


@pytest.mark.django_db(transaction=True)
def test_closing_leaves_no_trace_of_the_voting_order(voted):
    session, _ = voted
    voting_order = physical_order()
    before = set(voting_order)
    services.close_session(session=session, actor=session.created_by)
    after = physical_order()
    assert after == sorted(after)  # stored in the order of random ids ...
    assert not before & set(after)  # ... that are new, so ids seen while voting mean nothing
    assert sorted(map(str, Ballot.objects.values_list("answers", flat=True))) == sorted(
        str(answers_for(session, *p)) for p in PATTERNS
    )
    if connection.vendor == "postgresql":  # one rewriting transaction: no xmin shared with a code
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT DISTINCT xmin::text FROM {Ballot._meta.db_table}")
            ballot_xmins = {r[0] for r in cursor.fetchall()}
            cursor.execute(f"SELECT DISTINCT xmin::text FROM {AdmissionCode._meta.db_table}")
            code_xmins = {r[0] for r in cursor.fetchall()}
        assert len(ballot_xmins) == 1 and not ballot_xmins & code_xmins
