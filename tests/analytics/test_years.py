"""Reports with nothing in scope or a year that is no year answer without a 500 (issue 14 §8)."""

import pytest
from django.urls import reverse

from tests.analytics.conftest import cadre_with_visit
from tests.factories import staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, county):
    cadre, _ = cadre_with_visit(county["350901"]["town"])
    client.force_login(staff_user("officer", county["350901"]["county"], "personnel"))
    return cadre


def test_a_dashboard_with_no_ratings_in_scope_renders(client, officer):
    """Scenario: every 1 January, or a new unit, or ?year=2030: no official rating yet."""
    for year in ("", "2030"):
        page = client.get(reverse("reports:dashboard"), {"year": year} if year else {})
        assert page.status_code == 200


@pytest.mark.parametrize("year", ["0", "99999", "abc", "-5", "1e9", "２０２６x"])
def test_a_year_that_is_no_year_is_a_404(client, officer, year):
    for url in (
        reverse("reports:dashboard"),
        reverse("reports:cadre", args=[officer.pk]),
        reverse("reports:export", args=["csv"]),
        reverse("reports:summary"),
        reverse("staff:discipline"),
        reverse("staff:case_metrics"),
    ):
        assert client.get(url, {"year": year}).status_code == 404, url
    post = client.post(reverse("reports:cycles"), {"unit": "350901", "year": year})
    assert post.status_code == 404
