"""按建议评定 in bulk with a confirmation page, and a single decision that returns to its row
(issue 17 §7)."""

import pytest
from django.urls import reverse

from analytics.assessment import runs
from evaluations.cycles.services import create_cycle
from evaluations.models import AssessmentDecision
from tests.factories import CadreFactory, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle_with_run(world, questionnaire):
    county = world[2]["350901"]["county"]
    cadres = [CadreFactory(unit=county, name=f"干部{i}") for i in range(4)]
    cycle = create_cycle(unit=county, year=2026)
    run = runs.run_all(runs.start(cycle))
    return county, cadres, cycle, run


def test_bulk_asks_first_then_confirms_the_selection(client, cycle_with_run):
    county, cadres, cycle, run = cycle_with_run
    client.force_login(staff_user("zzb", county, "personnel"))
    url = reverse("reports:cycle_confirm", args=[cycle.pk])
    picked = [cadres[0].pk, cadres[2].pk]

    page = client.post(url, {"cadre": picked})
    assert page.status_code == 200
    html = page.content.decode()
    assert "确认评定 2 人" in html and cadres[0].name in html and cadres[1].name not in html
    assert not AssessmentDecision.objects.exists()

    done = client.post(url, {"cadre": picked, "confirmed": "1"}, follow=True)
    assert "已按建议评定 2 名干部的等次。" in done.content.decode()
    decisions = AssessmentDecision.objects.filter(cycle=cycle)
    assert set(decisions.values_list("cadre", flat=True)) == set(picked)
    for decision in decisions:
        assert decision.grade == run.results.get(cadre=decision.cadre).suggested_grade
        assert not decision.is_override


def test_all_undecided_skips_decided_rows_and_the_officer_himself(client, cycle_with_run):
    county, cadres, cycle, run = cycle_with_run
    officer = staff_user("zzb", county, "personnel", cadre=cadres[3])
    client.force_login(officer)
    decide = reverse("reports:cycle_decide", args=[cycle.pk, cadres[0].pk])
    override = next(
        g for g in ("excellent", "basic") if g != run.results.get(cadre=cadres[0]).suggested_grade
    )
    client.post(decide, {"grade": override, "reason": "抗洪抢险表现突出"})
    url = reverse("reports:cycle_confirm", args=[cycle.pk])
    page = client.post(url, {"all": "1"})
    assert "确认评定 2 人" in page.content.decode()
    client.post(url, {"all": "1", "confirmed": "1"})
    grades = dict(AssessmentDecision.objects.values_list("cadre", "grade"))
    assert set(grades) == {cadres[0].pk, cadres[1].pk, cadres[2].pk}
    assert grades[cadres[0].pk] == override  # an earlier decision is never overwritten


def test_nothing_selected_is_an_error_not_a_decision(client, cycle_with_run):
    county, _cadres, cycle, _run = cycle_with_run
    client.force_login(staff_user("zzb", county, "personnel"))
    page = client.post(reverse("reports:cycle_confirm", args=[cycle.pk]), follow=True)
    assert "请先勾选要按建议评定的干部。" in page.content.decode()
    assert not AssessmentDecision.objects.exists()


def test_another_county_cannot_confirm(client, cycle_with_run, world):
    _county, _cadres, cycle, _run = cycle_with_run
    client.force_login(staff_user("zzb-b", world[2]["350902"]["county"], "personnel"))
    url = reverse("reports:cycle_confirm", args=[cycle.pk])
    assert client.post(url, {"all": "1", "confirmed": "1"}).status_code == 404
    assert not AssessmentDecision.objects.exists()


def test_a_single_decision_returns_to_its_row(client, cycle_with_run):
    county, cadres, cycle, run = cycle_with_run
    client.force_login(staff_user("zzb", county, "personnel"))
    grade = run.results.get(cadre=cadres[1]).suggested_grade
    url = reverse("reports:cycle_decide", args=[cycle.pk, cadres[1].pk])
    response = client.post(url, {"grade": grade})
    assert response.url == f"{reverse('reports:cycle', args=[cycle.pk])}#cadre-{cadres[1].pk}"
    page = client.get(reverse("reports:cycle", args=[cycle.pk])).content.decode()
    assert f'id="cadre-{cadres[1].pk}"' in page
    assert f'name="cadre" value="{cadres[1].pk}"' not in page  # decided: no longer selectable
    assert f'name="cadre" value="{cadres[2].pk}"' in page


def test_confirmation_page_queries_are_bounded(
    client, cycle_with_run, django_assert_max_num_queries
):
    county, _cadres, cycle, _run = cycle_with_run
    client.force_login(staff_user("zzb", county, "personnel"))
    with django_assert_max_num_queries(15):
        page = client.post(reverse("reports:cycle_confirm", args=[cycle.pk]), {"all": "1"})
    assert "确认评定 4 人" in page.content.decode()


def test_a_new_cycle_is_offered_for_this_year_not_a_fixed_one(client, world, monkeypatch):
    """The 新建年度考核 form said 2026 in its year box whatever the date."""
    import datetime as dt

    from django.utils import timezone

    county = world[2]["350901"]["county"]
    client.force_login(staff_user("officer-y", county, "personnel"))
    monkeypatch.setattr(timezone, "localdate", lambda *a: dt.date(2027, 1, 4))
    page = client.get(reverse("reports:cycles")).content.decode()
    assert 'name="year" value="2027"' in page
