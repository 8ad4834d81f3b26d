import pytest

from tests.factories import staff_user

ANSWERS = {"attitude": "4", "style": "5", "results": "3", "overall": "basic"}


@pytest.fixture
def clerks(visit):
    """Three staff accounts of the visit's unit who may enter sheets, and the rated cadre's."""
    unit = visit.lead.unit
    return [staff_user(name, unit, "personnel") for name in ("clerk1", "clerk2", "clerk3")]


def post_entry(client, visit, sheet, answers=ANSWERS):
    return client.post(f"/staff/visits/{visit.pk}/paper/enter/", {"sheet": sheet, **answers})
