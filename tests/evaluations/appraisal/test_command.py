"""`manage.py tally_appraisal SESSION` recomputes the tally from the stored ballots and says
whether it matches the stored result; a ballot edited in the database is caught."""

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection

from evaluations.appraisal import services
from surveys.ballots.models import Ballot
from tests.evaluations.appraisal.helpers import branch_of, issue, make_session, secretary, vote

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def closed(world):
    branch, _ = branch_of(world)
    shuji = secretary(branch)
    session = make_session(branch, shuji, groups=(("党员", 5, 1),))
    for grades, code in zip(
        [("excellent",), ("qualified",), ("qualified", "unqualified")],
        issue(session, shuji),
        strict=False,
    ):
        vote(session, code, *grades)
    services.close_session(session=session, actor=shuji)
    return session


def run(session, capsys):
    try:
        call_command("tally_appraisal", str(session.pk))
    except SystemExit as exit_:
        return exit_.code, capsys.readouterr().out
    return 0, capsys.readouterr().out


def test_the_tally_matches_the_stored_result(closed, capsys):
    status, out = run(closed, capsys)
    assert status == 0 and "MATCHES stored result" in out
    assert "ballots 3" in out and "甲党员: valid 3 excellent=1 qualified=2" in out


def test_a_ballot_edited_in_the_database_is_detected(closed, capsys):
    table = Ballot._meta.db_table
    ballot = Ballot.objects.first()
    key = next(iter(ballot.answers))
    flipped = "excellent" if ballot.answers[key] != "excellent" else "qualified"
    answers = Ballot._meta.get_field("answers").get_db_prep_value(
        {**ballot.answers, key: flipped}, connection
    )
    pk = Ballot._meta.pk.get_db_prep_value(ballot.pk, connection)
    with connection.cursor() as cursor:  # straight into the database, around the application
        cursor.execute(f"UPDATE {table} SET answers = %s WHERE id = %s", [answers, pk])
    status, out = run(closed, capsys)
    assert status == 1 and "DIFFERS" in out and "MATCHES" not in out


def test_a_deleted_ballot_is_detected(closed, capsys):
    Ballot.objects.filter(pk=Ballot.objects.first().pk).delete()
    status, out = run(closed, capsys)
    assert status == 1 and "ballots 2" in out


def test_an_open_session_has_no_result_to_check(world, capsys):
    branch, _ = branch_of(world)
    session = make_session(branch, secretary(branch))
    with pytest.raises(CommandError, match="not closed"):
        call_command("tally_appraisal", str(session.pk))
    with pytest.raises(CommandError, match="No appraisal session"):
        call_command("tally_appraisal", "999")
