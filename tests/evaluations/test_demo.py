import pytest
from django.core.management import call_command
from django.utils import timezone

from evaluations.models import Cadre, OrgUnit, ResearchPlan, Visit
from evaluations.planning.selectors import coming_weeks
from surveys.models import Answer, RatingLink, Response

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        list(OrgUnit.objects.values_list("code", "path")),
        list(Cadre.objects.values_list("code", "name", "level")),
        list(
            Visit.objects.order_by("pk").values_list("kind", "start_date", "end_date", "lead__code")
        ),
        list(RatingLink.objects.order_by("pk").values_list("token", flat=True)),
        list(Answer.objects.order_by("pk").values_list("question__code", "value")),
    )


def test_seed_demo_is_complete_deterministic_and_idempotent(questionnaire):
    call_command("seed_demo")
    first = snapshot()
    call_command("seed_demo")
    assert snapshot() == first  # a second run changes nothing
    levels = set(OrgUnit.objects.values_list("level", flat=True))
    assert {"county", "township", "village", "community", "enterprise"} <= levels
    assert 18 <= Cadre.objects.count() <= 25
    assert set(Cadre.objects.values_list("level", flat=True)) >= {"county", "township"}
    kinds = set(Visit.objects.values_list("kind", flat=True))
    assert {"petition", "onsite", "research", "publicity"} <= kinds
    assert Visit.objects.filter(rating_link=None).count() == 0
    assert 200 <= Response.objects.count() <= 1000
    # 定期报送 (000 (八)): a 民情日记 of a county leader picked for each quarter.
    picked = Visit.objects.filter(picked_by__username="zuzhibu")
    assert sorted({(v.start_date.month - 1) // 3 for v in picked}) == [0, 1, 2, 3]
    # Planning: every county leader has a research plan; the rota ahead has visible gaps.
    county = OrgUnit.objects.get(code="350999")
    assert ResearchPlan.objects.count() == Cadre.objects.filter(level="county").count()
    weeks = coming_weeks(unit=county, today=timezone.localdate())
    assert 0 < sum(w.gap for w in weeks) < len(weeks)


def test_seed_is_the_same_in_a_fresh_database(questionnaire):
    from django.db import transaction

    from evaluations import demo

    with transaction.atomic():
        demo.seed()
        first = snapshot()
        transaction.set_rollback(True)
    assert not OrgUnit.objects.filter(code=demo.COUNTY_CODE).exists()
    demo.seed()
    assert snapshot() == first
