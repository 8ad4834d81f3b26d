"""No staff form or query parameter makes a 500 (issue 14 §8): hypothesis sends random values
for every parameter the staff pages read, by GET and POST, as the department and as a cadre."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_access_matrix import PAGES, PUBLIC, persona, url_for, walk, world  # noqa: F401

pytestmark = pytest.mark.django_db

# Every name a staff view or form reads from GET or POST.
PARAMS = [
    "year", "unit", "period", "format", "status", "overdue", "page", "visit", "organ", "cadre",
    "on", "only_lacking", "group", "count", "serials", "reissue", "grade", "reason", "note",
    "decision", "title", "raised_on", "responsible", "deadline", "to_unit", "result",
    "closed_on", "kind", "start_date", "end_date", "hours", "summary", "date", "topic",
    "weight_satisfaction", "band_excellent", "subject-0-name", "group-0-voters", "opens_at",
    "points_excellent", "below_quorum", "confirmed", "all",
]  # fmt: skip
VALUES = st.one_of(
    st.sampled_from(["", "0", "-1", "99999", "2026", "abc", "1e9", "2026-02-30", "null", "%00"]),
    st.text(max_size=12),
    st.integers(-(2**63), 2**63).map(str),
)
QUERIES = st.dictionaries(st.sampled_from(PARAMS), VALUES, max_size=4)


def staff_urls(objects):
    return sorted(
        url_for(name, pattern, objects)
        for name, pattern in walk()
        if PAGES[name] != PUBLIC and name not in ("staff:logout", "staff:login")
    )


@pytest.mark.parametrize("who", ["personnel-A", "cadre-A"])
def test_no_parameter_makes_a_500(world, who):  # noqa: F811
    _a, _b, objects, _ = world
    user, _county = persona(who, world)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    urls = staff_urls(objects)

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(url=st.sampled_from(urls), query=QUERIES, post=st.booleans())
    def check(url, query, post):
        response = client.post(url, query) if post else client.get(url, query)
        assert response.status_code < 500, (url, query, post)

    check()
