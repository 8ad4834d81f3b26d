"""Grades to confirm on the to-do page: results of the latest run without a decision."""

import pytest
from django.urls import reverse

from analytics.assessment import runs
from analytics.assessment.todo import grades_to_confirm
from evaluations.cycles import services as cycles
from tests.factories import CadreFactory, staff_user

pytestmark = pytest.mark.django_db


def test_counts_undecided_results_of_the_latest_run(world, questionnaire):
    _, _, counties = world
    a, b = counties["350901"], counties["350902"]
    first, second = CadreFactory(unit=a["county"]), CadreFactory(unit=a["county"])
    cycle = cycles.create_cycle(unit=a["county"], year=2026)
    run = runs.run_all(runs.start(cycle))
    officer = staff_user("zzb", a["county"], "personnel")
    (item,) = grades_to_confirm(officer, None)
    assert item.count == 2
    assert item.rows[0][1] == reverse("reports:cycle", args=[cycle.pk])

    result = run.results.get(cadre=first)
    cycles.decide(
        cycle=cycle,
        cadre=first,
        grade=result.suggested_grade,
        reason="",
        suggested_grade=result.suggested_grade,
        suggested_score=result.composite,
        user=officer,
    )
    assert grades_to_confirm(officer, None)[0].count == 1
    assert second.pk in run.results.values_list("cadre", flat=True)
    outsider = staff_user("zzb-b", b["county"], "personnel")
    assert grades_to_confirm(outsider, None)[0].count == 0
