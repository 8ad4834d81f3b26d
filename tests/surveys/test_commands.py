import csv
import io

import pytest
from django.core.management import CommandError, call_command

from evaluations import demo
from surveys.models import RatingLink, Response

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_county(questionnaire):
    demo.seed()


def test_rating_links_prints_token_url_and_subject(demo_county, settings):
    out = io.StringIO()
    call_command("rating_links", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == RatingLink.objects.active().count() > 0
    token, url, what = lines[0].split("\t")
    assert url == f"{settings.SITE_URL}/r/{token}/"
    assert what.startswith("请评价")


def test_export_responses_writes_one_row_per_response(demo_county):
    out = io.StringIO()
    call_command("export_responses", "--columns", "codes", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == Response.objects.count() > 100
    assert {
        "token",
        "submitted_at",
        "review",
        "flags",
        "attitude",
        "style",
        "results",
        "overall",
    } <= set(rows[0])
    visit_ratings = [r for r in rows if not r.get("service")]  # not the 好差评 of case handling
    assert visit_ratings and {r["attitude"] for r in visit_ratings} <= {"1", "2", "3", "4", "5"}


def test_export_responses_for_one_token(demo_county, tmp_path):
    response = Response.objects.order_by("pk").first()
    target = tmp_path / "one.csv"
    call_command(
        "export_responses", "--token", response.link.token, "--columns", "codes", "-o", str(target)
    )
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert len(rows) == response.link.responses.count()
    assert {r["token"] for r in rows} == {response.link.token}


def test_export_responses_for_people_has_chinese_headers_and_a_bom(demo_county):
    out = io.StringIO()
    call_command("export_responses", stdout=out)
    text = out.getvalue()
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert len(rows) == Response.objects.count()
    assert {"评价链接", "提交时间", "复核状态", "疑点", "问卷版本", "工作态度"} <= set(rows[0])
    assert {r["复核状态"] for r in rows} <= {str(c.label) for c in Response.Review}
    codes = io.StringIO()
    call_command("export_responses", "--columns", "codes", stdout=codes)
    assert codes.getvalue().startswith("token,submitted_at,review,flags,version,")


def test_export_unknown_token_is_an_error(demo_county):
    with pytest.raises(CommandError, match="No rating link"):
        call_command("export_responses", "--token", "nope")


def test_rating_links_print_the_port_the_server_runs_on(demo_county, settings, monkeypatch):
    settings.SITE_URL = "http://127.0.0.1:8000"
    monkeypatch.setenv("PORT", "8002")
    out, err = io.StringIO(), io.StringIO()
    call_command("rating_links", stdout=out, stderr=err)
    token, url, _ = out.getvalue().splitlines()[0].split("\t")
    assert url == f"http://127.0.0.1:8002/r/{token}/"
    assert "SITE_URL=http://127.0.0.1:8002" in err.getvalue()
    out = io.StringIO()
    call_command("rating_links", "--port", "8000", stdout=out)
    assert "http://127.0.0.1:8000/r/" in out.getvalue()
