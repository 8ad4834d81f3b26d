"""The optional 反映问题 part of the rating form: the engine stores the text and announces the
response (surveys.signals.response_stored); evaluations opens a case from it."""

import ast
import re
from pathlib import Path

import pytest

from evaluations.models import Case
from surveys.models import Answer, Response
from surveys.signals import response_stored
from tests.surveys.helpers import ANSWERS, open_form, rate

pytestmark = pytest.mark.django_db
SURVEYS = Path(__file__).resolve().parents[2] / "surveys"


def test_the_form_offers_an_optional_problem_report(client, visit):
    page, _ticket = open_form(client, visit.rating_link)
    html = page.content.decode()
    assert "您想反映的问题（选填）" in html and 'name="problem_report"' in html
    question = visit.rating_link.questionnaire.latest_published().questions.get(
        code="problem_report"
    )
    assert (question.kind, question.required, question.is_rating) == ("text", False, False)


def test_a_resident_raises_a_problem_through_the_rating_form(client, visit):
    report = "村口的路灯坏了三个月\n晚上孩子放学看不见路"
    page = rate(client, visit.rating_link, {**ANSWERS, "problem_report": report})
    assert page.status_code == 200 and "谢谢您" in page.content.decode()
    case = Case.objects.get()
    response = Response.objects.get()
    assert case.source == Case.Source.RESIDENT and case.response == response
    assert (case.unit, case.raised_with, case.visit) == (visit.target_unit, visit.lead, visit)
    assert case.title == "村口的路灯坏了三个月" and case.description == report
    assert case.status == Case.Status.RECEIVED and case.events.count() == 1
    assert case.rating_link.questionnaire.code == "haochaping"
    assert Answer.objects.get(question__code="problem_report").text == report
    # The thanks page gives the resident the case's own link to rate its handling later, and its
    # QR code to screenshot (a link typed from a screenshot is error-prone).
    assert case.rating_link.public_url() in page.content.decode()
    qr = f'<img src="/r/{case.rating_link.token}/qr.svg" width="160" height="160"'
    assert qr in page.content.decode()
    svg = client.get(f"/r/{case.rating_link.token}/qr.svg")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    handling = client.get(case.rating_link.get_absolute_url()).content.decode()
    assert "村口的路灯坏了三个月" in handling and "已登记" in handling
    assert "非常满意" not in handling  # the form opens once the case is finished


def test_no_problem_no_case(client, visit):
    page = rate(client, visit.rating_link, {**ANSWERS, "problem_report": "   "})
    assert Response.objects.count() == 1 and not Case.objects.exists()
    assert not re.search(r'<a href="[^"]*/r/', page.content.decode())  # no follow-up link


def test_a_retried_submission_opens_one_case(client, visit):
    _page, ticket = open_form(client, visit.rating_link)
    answers = {**ANSWERS, "problem_report": "饮用水浑浊"}
    rate(client, visit.rating_link, answers, ticket=ticket)
    again = rate(client, visit.rating_link, answers, ticket=ticket)
    assert Response.objects.count() == 1 and Case.objects.count() == 1
    assert Case.objects.get().rating_link.public_url() in again.content.decode()


def test_a_failing_receiver_never_costs_the_resident_the_response(client, visit):
    def broken(sender, **kwargs):
        raise RuntimeError("receiver bug")

    response_stored.connect(broken, dispatch_uid="test-broken")
    try:
        page = rate(client, visit.rating_link, {**ANSWERS, "problem_report": "道路积水"})
    finally:
        response_stored.disconnect(dispatch_uid="test-broken")
    assert "谢谢您" in page.content.decode() and Response.objects.count() == 1
    assert Case.objects.count() == 1  # the ledger's own receiver still ran


def test_the_surveys_app_imports_nothing_from_evaluations_or_analytics():
    imported = set()
    for path in SURVEYS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])
    assert "surveys" in imported and "django" in imported
    assert not imported & {"evaluations", "analytics"}
    assert "evaluations" not in (SURVEYS / "services.py").read_text(encoding="utf-8")
