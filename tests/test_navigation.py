"""No link a staff page offers leads to 无权访问 (issue 18, the outside walk): the navigation and
the buttons of each page show each role only the pages it may open.

The embarrassing case: the party secretary (shuji) tapped 下基层活动 and 问题台账 in the menu and
got 403 twice; the cadre (zhangwei) tapped 办理情况统计 on his case ledger and got 403."""

import re

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client

from evaluations import demo
from evaluations.models import Visit

pytestmark = pytest.mark.django_db

HREF = re.compile(r'<a\s[^>]*href="(/staff/[^"?#]*)')
ACCOUNTS = [username for username, *_rest in demo.ACCOUNTS]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo county once for the module, rolled back at its end (each test nests inside)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            demo.seed()
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _links(html: str) -> set[str]:
    return {path for path in HREF.findall(html) if "/logout" not in path}


@pytest.mark.parametrize("username", ACCOUNTS)
def test_no_offered_link_is_refused(seeded, username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    seen, refused = set(), []
    queue = ["/staff/"]
    while queue and len(seen) < 40:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        page = client.get(path)
        if page.status_code == 403:
            refused.append(path)
            continue
        if page.status_code == 200 and "text/html" in page.get("Content-Type", ""):
            queue += sorted(_links(page.content.decode()) - seen)
    assert refused == [], refused


def test_a_secretary_prints_the_poster_of_his_own_visit_only(seeded):
    """shuji is 城东社区's party secretary and cadre C020: 我的活动 lists his visits with their
    posters; another cadre's visit in his community stays closed to him."""
    client = Client()
    user = User.objects.get(username="shuji")
    client.force_login(user)
    own = Visit.objects.filter(lead=user.cadre).exclude(rating_link=None).first()
    other = Visit.objects.exclude(lead=user.cadre).exclude(rating_link=None).first()
    page = client.get(f"/staff/visits/{own.pk}/poster.pdf")
    assert page.status_code == 200
    assert page.content.startswith(b"%PDF")
    assert client.get(f"/staff/visits/{other.pk}/poster.pdf").status_code == 404
