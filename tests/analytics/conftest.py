import datetime as dt
import itertools
import uuid

import pytest
from django.utils import timezone

from surveys.models import Answer, Question, Response
from tests.factories import CadreFactory, VisitFactory, default_questionnaire

_devices = itertools.count()


def add_responses(visit, scores, *, overall="satisfied", review="valid", when=None, comment=""):
    """Store responses straight through the models: one per (attitude, style, results) triple."""
    version = visit.rating_link.questionnaire.latest_published()
    questions = {q.code: q for q in Question.objects.filter(version=version)}
    when = when or timezone.make_aware(dt.datetime(2026, 6, 15, 10))
    made = []
    for triple in scores:
        response = Response.objects.create(
            link=visit.rating_link,
            version=version,
            submission_id=uuid.uuid4(),
            device_id=f"d{next(_devices)}",
            submitted_at=when,
            review=review,
        )
        rows = [
            Answer(response=response, question=questions[c], value=str(s), score=s)
            for c, s in zip(("attitude", "style", "results"), triple, strict=True)
        ]
        if overall:
            rows.append(Answer(response=response, question=questions["overall"], value=overall))
        if comment:
            rows.append(Answer(response=response, question=questions["comment"], text=comment))
        Answer.objects.bulk_create(rows)
        made.append(response)
    return made


@pytest.fixture
def county(world):
    default_questionnaire()
    _, _, counties = world
    return counties


def cadre_with_visit(unit, **kwargs):
    cadre = CadreFactory(unit=unit, **kwargs)
    return cadre, VisitFactory(lead=cadre, target_unit=unit)
