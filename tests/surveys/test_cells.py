"""No export cell turns into a formula (issue 14 §6): one neutraliser for CSV and XLSX."""

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from surveys import cells
from surveys.models import Answer, Question, RatingLink, Response
from surveys.selectors import write_responses_csv

ATTACKS = [
    '=HYPERLINK("http://evil.example","点我")',
    "+1+cmd|'/C calc'!A0",
    "-2+3",
    "@SUM(A1)",
]


def xlsx_round_trip(values):
    book = Workbook()
    book.active.append(values)
    sheet = load_workbook(io.BytesIO(cells.workbook_bytes(book))).active
    return [(c.value, c.data_type) for c in sheet[1]]


def test_csv_cells_get_a_leading_apostrophe_and_keep_their_text():
    out = io.StringIO()
    cells.csv_writer(out).writerow([*ATTACKS, "\t=1", "张三", -1.5, 3, None])
    row = next(csv.reader(io.StringIO(out.getvalue())))
    assert row[:5] == ["'" + a for a in [*ATTACKS, "\t=1"]]
    assert row[5:] == ["张三", "-1.5", "3", ""]


def test_xlsx_cells_are_strings_with_the_visible_text_unchanged():
    got = xlsx_round_trip([*ATTACKS, "张三", -1.5])
    assert got[:4] == [(a, "s") for a in ATTACKS]
    assert got[4:] == [("张三", "s"), (-1.5, "n")]


def test_control_characters_become_a_visible_mark_not_a_server_error():
    """Scenario: a resident typed "下水道\\x01\\x08堵了" in a problem report; openpyxl refused the
    characters and the county's case ledger export answered 500 for everyone, for good."""
    got = xlsx_round_trip(["下水道\x01\x08堵了", "第\x0b行", "换行\n保留\t制表"])
    assert [value for value, _kind in got] == [
        "下水道\ufffd\ufffd堵了",
        "第\ufffd行",
        "换行\n保留\t制表",
    ]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("=+-@\t\r abc1(!|'\"张"), min_size=1, max_size=12))
def test_no_text_becomes_a_formula(text):
    _value, kind = xlsx_round_trip([text])[0]
    assert kind != "f"
    out = io.StringIO()
    cells.csv_writer(out).writerow([text])
    (written,) = next(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert not written.startswith(cells.TRIGGERS) and written in (text, "'" + text)


@pytest.mark.django_db
def test_residents_comments_reach_the_responses_csv_neutralised(visit):
    version = visit.rating_link.questionnaire.latest_published()
    response = Response.objects.create(
        link=visit.rating_link, version=version, submission_id="0" * 32, device_id="d"
    )
    question = Question.objects.get(version=version, code="comment")
    Answer.objects.create(response=response, question=question, text=ATTACKS[0])
    out = io.StringIO()
    write_responses_csv(out, RatingLink.objects.all())
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["comment"] == "'" + ATTACKS[0]
