"""Setting up a cycle and recording 组织评定, the service layer under the assessment pages."""

from decimal import Decimal

import pytest

from evaluations.cycles import services
from evaluations.models import AssessmentCycle, CapRule, Grade
from tests.factories import CadreFactory, staff_user


def test_a_new_cycle_gets_the_2019_caps_once(world):
    _, _, counties = world
    county = counties["350901"]["county"]
    cycle = services.create_cycle(unit=county, year=2025)
    again = services.create_cycle(unit=county, year=2025)

    assert again.pk == cycle.pk
    caps = {(c.category, c.team_grade): c.fraction for c in CapRule.objects.filter(cycle=cycle)}
    assert caps == {
        ("leading", ""): Decimal("0.25"),
        ("leading", "excellent"): Decimal("0.30"),
        ("leading", "fair"): Decimal("0.20"),
        ("leading", "poor"): Decimal("0.15"),
        ("other", ""): Decimal("0.20"),
    }


def test_an_override_needs_a_reason_and_a_closed_cycle_refuses(world):
    _, _, counties = world
    county = counties["350901"]["county"]
    cycle = services.create_cycle(unit=county, year=2025)
    cadre = CadreFactory(unit=county)
    officer = staff_user("officer", county, "personnel")
    common = {"cycle": cycle, "cadre": cadre, "suggested_score": 81, "user": officer}

    with pytest.raises(services.DecisionError):
        services.decide(
            grade=Grade.EXCELLENT, reason=" ", suggested_grade=Grade.COMPETENT, **common
        )
    decision = services.decide(
        grade=Grade.COMPETENT, reason="", suggested_grade=Grade.COMPETENT, **common
    )
    assert decision.grade == Grade.COMPETENT and decision.decided_by == officer

    cycle.status = AssessmentCycle.Status.CLOSED
    cycle.save()
    with pytest.raises(services.DecisionError):
        services.decide(grade=Grade.COMPETENT, reason="", suggested_grade=Grade.COMPETENT, **common)
