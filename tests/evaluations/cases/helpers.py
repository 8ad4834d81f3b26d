"""Shared set-up of the problem-ledger tests: a visit in a village of 清溪县 and its cases."""

import datetime as dt
import uuid

from evaluations.cases import services as cases
from surveys.models import Answer, QuestionnaireVersion, Response
from tests import factories


def visit_in(village, *, day=dt.date(2026, 3, 2), lead=None):
    lead = lead or factories.CadreFactory(unit=village.parent.parent)
    return factories.VisitFactory(
        lead=lead, target_unit=village, start_date=day, end_date=day, kind="petition"
    )


def new_case(visit, *, title="村道路灯不亮", raised_on=None, actor=None):
    return cases.raise_case(
        title=title, visit=visit, cadre=visit.lead, raised_on=raised_on, actor=actor
    )


def rate_handling(case, value: str, *, review=Response.Review.VALID):
    """A resident's 好差评 of a case's handling, stored as the engine stores it."""
    version: QuestionnaireVersion = case.rating_link.questionnaire.latest_published()
    response = Response.objects.create(
        link=case.rating_link,
        version=version,
        submission_id=uuid.uuid4(),
        device_id=uuid.uuid4().hex,
        review=review,
    )
    question = version.questions.get(code="service")
    choice = question.choices.get(value=value)
    Answer.objects.create(response=response, question=question, value=value, score=choice.score)
    return response
