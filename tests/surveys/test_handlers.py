"""A resident POST declared in another charset is a 400 page, never a 500 (issue 14 §8)."""

from urllib.parse import urlencode

import pytest
from django.test import Client

from surveys.models import Response
from tests.surveys.helpers import ANSWERS, open_form

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("charset", ["latin-1", "utf-16"])
def test_a_body_in_another_charset_is_a_400_with_csrf_checks_on(visit, settings, charset):
    """Scenario: a phone's browser sends `Content-Type: …; charset=latin-1`; Django's own 400
    handler re-ran the CSRF check, read the body again and failed with a 500 (DEBUG=0)."""
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    _, ticket = open_form(client, visit.rating_link)
    body = urlencode({**ANSWERS, "ticket": ticket}).encode()
    page = client.generic(
        "POST",
        visit.rating_link.get_absolute_url(),
        body,
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert page.status_code == 400 and "无法处理" in page.content.decode()
    assert not Response.objects.exists()
