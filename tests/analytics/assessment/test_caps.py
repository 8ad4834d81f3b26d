"""A cycle's 优秀 caps on a staff page for personnel of its jurisdiction (issue 14 §4)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from evaluations.cycles.services import create_cycle
from evaluations.models import CapRule
from tests.factories import staff_user

pytestmark = pytest.mark.django_db


def formset_data(cycle, **changes):
    caps = list(CapRule.objects.filter(cycle=cycle).order_by("pk"))
    data = {
        "form-TOTAL_FORMS": str(len(caps)),
        "form-INITIAL_FORMS": str(len(caps)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for i, cap in enumerate(caps):
        data.update(
            {
                f"form-{i}-id": cap.pk,
                f"form-{i}-category": cap.category,
                f"form-{i}-team_grade": cap.team_grade,
                f"form-{i}-fraction": str(cap.fraction),
                f"form-{i}-source": cap.source,
            }
        )
        if cap.principal_not_excellent:
            data[f"form-{i}-principal_not_excellent"] = "on"
    data.update(changes)
    return data


def test_personnel_change_a_cap_and_others_cannot(client, world):
    _, _, counties = world
    cycle = create_cycle(unit=counties["350901"]["county"], year=2026)
    url = reverse("reports:cycle_caps", args=[cycle.pk])
    client.force_login(staff_user("outsider", counties["350902"]["county"], "personnel"))
    assert client.get(url).status_code == 404
    client.force_login(staff_user("cadre", counties["350901"]["county"], "cadre"))
    assert client.get(url).status_code == 403
    officer = staff_user("officer", counties["350901"]["county"], "personnel")
    client.force_login(officer)
    assert client.get(url).status_code == 200
    saved = client.post(url, formset_data(cycle, **{"form-0-fraction": "0.22"}))
    assert saved.status_code == 302
    first = CapRule.objects.filter(cycle=cycle).order_by("pk").first()
    assert first.fraction == Decimal("0.22")
    assert first.history.latest().history_user == officer  # who changed it is kept


def test_cycle_history_says_who_changed_weights_and_caps(client, world):
    _, _, counties = world
    county = counties["350901"]["county"]
    cycle = create_cycle(unit=county, year=2026)
    client.force_login(staff_user("officer", county, "personnel"))
    settings = {
        "weight_satisfaction": "0.25",
        "weight_appraisal": "0.45",
        "weight_compliance": "0.20",
        "weight_cases": "0.10",
        "band_excellent": "90",
        "band_competent": "70",
        "band_basic": "60",
        "team_grade": "good",
    }
    assert client.post(reverse("reports:cycle", args=[cycle.pk]), settings).status_code == 302
    cap = CapRule.objects.filter(cycle=cycle, category="other").get()
    cap.fraction = "0.15"
    cap.save()
    page = client.get(reverse("reports:cycle_history", args=[cycle.pk]))
    history = page.context["history"]
    assert history[0].changes == [("优秀比例上限", "0.20", "0.15")]
    weights = next(e for e in history if e.action == "修改" and e.who == "officer")
    assert ("群众满意度权重", "0.30", "0.25") in weights.changes
    client.force_login(staff_user("far", counties["350902"]["county"], "personnel"))
    assert client.get(reverse("reports:cycle_history", args=[cycle.pk])).status_code == 404


def test_a_cap_is_a_share_between_0_and_1(client, world):
    """Scenario: an 优秀 cap of 1.50 (150 %) was saved."""
    _, _, counties = world
    county = counties["350901"]["county"]
    cycle = create_cycle(unit=county, year=2026)
    client.force_login(staff_user("officer", county, "personnel"))
    url = reverse("reports:cycle_caps", args=[cycle.pk])
    page = client.post(url, formset_data(cycle, **{"form-0-fraction": "1.50"}))
    assert "确保该值小于或等于1" in page.content.decode()
    assert not CapRule.objects.filter(cycle=cycle, fraction__gt=1).exists()


def test_every_control_of_the_caps_table_is_named_and_the_table_scrolls_in_its_box(client, world):
    """Scenario: axe found 24 inputs and 12 selects without a name on the caps page, and the
    table made the page 669 px wide on a 390 px phone."""
    import re

    _, _, counties = world
    county = counties["350901"]["county"]
    cycle = create_cycle(unit=county, year=2026)
    client.force_login(staff_user("officer", county, "personnel"))
    html = client.get(reverse("reports:cycle_caps", args=[cycle.pk])).content.decode()
    controls = re.findall(r"<(?:input|select|textarea)\b[^>]*>", html)
    visible = [
        c for c in controls if 'type="hidden"' not in c and 'name="csrfmiddlewaretoken"' not in c
    ]
    assert len(visible) >= 12
    assert all("aria-label=" in c for c in visible), [c for c in visible if "aria-label=" not in c]
    assert 'aria-label="优秀比例上限 1"' in html
    assert '<div class="table-responsive" tabindex="0"><table' in html
