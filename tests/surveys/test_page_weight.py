"""The resident's first load: at most 30 KB on the wire (gzip) and at most 4 requests, with no
asset from any other host (SPEC §4: 2G/3G, cheap phones, no CDN). Its one script (the 朗读
button, issue 19) is a deferred file from this origin, counted here; no inline script, no audio."""

import gzip
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

BUDGET_BYTES = 30 * 1024
BUDGET_REQUESTS = 4


def assets(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="([^"#]+)"', re.sub(r"<a [^>]*>", "", html))


def test_first_load_within_budget(client, visit):
    page = client.get(visit.rating_link.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")
    assert page["Content-Encoding"] == "gzip"
    html = gzip.decompress(page.content).decode()
    total = len(page.content)
    requests = 1
    for url in assets(html):
        if url.startswith("data:"):
            continue
        assert url.startswith("/static/"), f"asset from elsewhere: {url}"
        path = finders.find(url.removeprefix("/static/"))
        total += len(gzip.compress(Path(path).read_bytes()))
        requests += 1
    assert requests <= BUDGET_REQUESTS
    assert total <= BUDGET_BYTES, total
    for tag in re.findall(r"<script[^>]*>", html):
        assert re.fullmatch(r'<script src="/static/[^"]+\.js" defer>', tag), tag
    assert "<audio" not in html and ".mp3" not in "".join(assets(html))


def test_no_third_party_host_in_any_resident_page(client, visit):
    for html in (
        client.get(visit.rating_link.get_absolute_url()).content.decode(),
        client.get("/r/unknown-token-xyz/").content.decode(),
    ):
        for url in assets(html):
            assert url.startswith(("/", "data:")), url
