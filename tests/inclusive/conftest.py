"""The `rated` world of the channel tests (issue 19 §5): one cadre with 15 web and 25 paper
responses, another with 3 assisted ones."""

import uuid

import pytest

from surveys.models import Response
from surveys.services import Outcome, submit_response
from tests.analytics.conftest import county  # noqa: F401  (two counties, a questionnaire)
from tests.factories import CadreFactory, VisitFactory, staff_user

ANSWERS = {"attitude": "4", "style": "5", "results": "3", "overall": "basic"}


def rate(link, channel=Response.Channel.WEB, helper=None, n=1, seconds=60):
    """`n` ratings of `link` through the engine, each from a phone of its own."""
    version = link.questionnaire.latest_published()
    for _ in range(n):
        outcome = submit_response(
            link_id=link.pk,
            token=link.token,
            version=version,
            submission_id=uuid.uuid4(),
            device_id=uuid.uuid4().hex,
            cleaned=ANSWERS,
            seconds_taken=seconds,
            channel=channel,
            helper=helper,
        )
        assert outcome is Outcome.STORED


@pytest.fixture
def rated(county):  # noqa: F811
    unit = county["350901"]["village"]
    clerk = staff_user("clerk", unit)
    cadre = CadreFactory(unit=unit)
    link = VisitFactory(lead=cadre, target_unit=unit).rating_link
    rate(link, n=15)
    rate(link, Response.Channel.PAPER, n=25)
    other = CadreFactory(unit=unit)
    other_link = VisitFactory(lead=other, target_unit=unit).rating_link
    rate(other_link, Response.Channel.ASSISTED, helper=clerk, n=3)
    return cadre, other, link
