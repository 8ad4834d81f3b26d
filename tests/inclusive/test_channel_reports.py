"""Every report counts the channels and filters on them (issue 19 §5): the unit dashboard, the
cadre report, the score exports and export_scores, the annual assessment's satisfaction part and
the review queue. The `rated` world: one cadre with 15 web and 25 paper responses, another with 3
assisted ones."""

import csv
import io
from urllib.parse import unquote

import pytest
from django.core.management import call_command
from django.test import Client

from analytics.assessment import parts
from evaluations.cycles.services import create_cycle
from surveys.models import Response
from surveys.notes import note
from tests.factories import staff_user
from tests.inclusive.conftest import rate

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(county):
    client = Client()
    client.force_login(staff_user("reader", county["350901"]["county"], "personnel"))
    return client


def _year():
    return Response.objects.first().submitted_at.year


def _csv(text):
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_the_dashboard_shows_the_channels_and_filters_on_them(rated, reader):
    page = reader.get(f"/staff/reports/?year={_year()}").content.decode()
    assert "评价渠道" in page and 'name="channel"' in page
    assert '<option value="assisted">协助填写</option>' in page
    assert '<td class="table-num">15</td><td class="table-num">25</td>' in page
    paper = reader.get(f"/staff/reports/?year={_year()}&channel=paper").content.decode()
    assert '<option value="paper" selected>' in paper
    assert (
        '<td class="table-num">25</td><td class="table-num">0</td><td class="table-num">25</td>'
        in paper
    )


def test_the_cadre_report_shows_the_channels_and_filters_on_them(rated, reader):
    cadre, _other, _link = rated
    url = f"/staff/reports/cadres/{cadre.pk}/?year={_year()}"
    page = reader.get(url).content.decode()
    assert "手机扫码 15 · 纸质问卷 25 · 协助填写 0" in page
    web = reader.get(url + "&channel=web").content.decode()
    assert '<div class="fs-4">15</div>' in web
    assert "手机扫码 15 · 纸质问卷 0 · 协助填写 0" in web


def test_the_score_export_has_a_column_per_channel_and_the_filter(rated, reader):
    cadre, other, _link = rated
    rows = _csv(reader.get(f"/staff/reports/scores.csv?year={_year()}").content.decode())
    mine = next(r for r in rows if r["干部"] == cadre.name)
    assert (mine["手机扫码"], mine["纸质问卷"], mine["协助填写"]) == ("15", "25", "0")
    url = f"/staff/reports/scores.csv?year={_year()}&channel=assisted"
    rows = _csv(reader.get(url).content.decode())
    assert [r["干部"] for r in rows] == [other.name]


def test_export_scores_counts_and_filters_channels(rated):
    cadre, _other, _link = rated
    out = io.StringIO()
    call_command("export_scores", year=_year(), columns="codes", stdout=out)
    mine = next(r for r in _csv(out.getvalue()) if r["cadre"] == cadre.name)
    assert (mine["n_web"], mine["n_paper"], mine["n_assisted"]) == ("15", "25", "0")
    out = io.StringIO()
    call_command("export_scores", "--channel", "web", year=_year(), columns="codes", stdout=out)
    rows = _csv(out.getvalue())
    assert [(r["cadre"], r["n"], r["n_paper"]) for r in rows] == [(cadre.name, "15", "0")]


def test_the_assessment_says_how_many_came_by_each_channel(rated, county):
    cadre, other, _link = rated
    cycle = create_cycle(unit=county["350901"]["county"], year=_year())
    part = parts.satisfaction(cycle=cycle, cadre_ids=[cadre.pk, other.pk])
    assert part.inputs["channels"][str(cadre.pk)] == {"web": 15, "paper": 25, "assisted": 0}
    assert part.inputs["channels"][str(other.pk)] == {"web": 0, "paper": 0, "assisted": 3}
    assert note(parts.CHANNELS, web=15, paper=25, assisted=0) in part.notes[cadre.pk]


def test_the_review_queue_shows_the_channel_and_filters_on_it(rated, reader):
    Response.objects.filter(channel__in=["paper", "assisted"]).update(review="flagged")
    page = reader.get("/staff/review/").content.decode()
    assert "纸质问卷 25" in page and "协助填写 3" in page and "手机扫码 0" in page
    assisted = reader.get("/staff/review/?channel=assisted").content.decode()
    assert "纸质问卷 0" in assisted and "协助填写 3" in assisted


def test_a_filtered_report_says_so_in_its_title_and_file(rated, reader):
    """The outside attack: a paper-only export was titled exactly like the whole county's
    ("清溪县 2026 年度群众满意度"), so a reader could take 25 paper sheets for every rating."""
    from openpyxl import load_workbook

    url = f"/staff/reports/scores.xlsx?year={_year()}"
    whole = load_workbook(io.BytesIO(reader.get(url).content)).active["A1"].value
    paper = load_workbook(io.BytesIO(reader.get(url + "&channel=paper").content)).active["A1"]
    assert "仅" not in whole
    assert paper.value == whole + "（仅纸质问卷）"
    page = reader.get(f"/staff/reports/?year={_year()}&channel=paper&channel=assisted")
    assert "（仅纸质问卷、协助填写）" in page.content.decode()
    # The second attack: every channel's download had the same name and overwrote the last.
    name = unquote(reader.get(url + "&channel=paper")["Content-Disposition"])
    assert name.endswith("-仅纸质问卷.xlsx") and "仅" not in unquote(
        reader.get(url)["Content-Disposition"]
    )


def test_an_unknown_channel_is_a_bad_request_not_a_silent_no_filter(rated, reader):
    for url in ("/staff/reports/", "/staff/reports/scores.csv"):
        assert reader.get(f"{url}?year={_year()}&channel=bogus").status_code == 400
    assert reader.get(f"/staff/reports/?year={_year()}&channel=").status_code == 200


def test_the_filter_in_a_title_reads_in_english(rated):
    from django.utils import translation

    from analytics import channels

    with translation.override("en"):
        words = channels.described(["assisted", "paper"])
    assert words == " (Paper form, Assisted only)"
    assert channels.described(None) == ""


def _yesterday():
    """Every rating stored a day earlier: the rated cadre's page reads them as of today."""
    import datetime as dt

    from django.db.models import F

    Response.objects.update(submitted_at=F("submitted_at") - dt.timedelta(days=1))


def _commented(link, channel, text, helper=None):
    """One more rating of `link` by `channel` with a written comment."""
    from surveys.models import Answer, Question

    rate(link, channel, helper=helper)
    response = Response.objects.filter(link=link).latest("pk")
    question = Question.objects.get(version=response.version, code="comment")
    Answer.objects.create(response=response, question=question, text=text)


def test_the_cadre_reports_comments_carry_their_channel_and_follow_the_filter(rated, reader):
    cadre, _other, link = rated
    _commented(link, Response.Channel.PAPER, "路灯修好了")
    _commented(link, Response.Channel.WEB, "来得太少")
    url = f"/staff/reports/cadres/{cadre.pk}/?year={_year()}"
    page = reader.get(url).content.decode()
    assert '路灯修好了 <span class="badge text-bg-light border">纸质问卷</span>' in page
    assert '来得太少 <span class="badge text-bg-light border">手机扫码</span>' in page
    paper = reader.get(url + "&channel=paper").content.decode()
    assert "路灯修好了" in paper and "来得太少" not in paper


def test_the_rated_cadre_reads_his_comments_without_their_channel(rated):
    """ "协助填写" under a sharp comment would tell the cadre which grid worker to press for
    the resident's name; he reads the words only."""
    cadre, _other, link = rated
    clerk = staff_user("grid", cadre.unit)
    _commented(link, Response.Channel.ASSISTED, "态度不好", helper=clerk)
    _yesterday()
    client = Client()
    client.force_login(staff_user("self", cadre.unit, "cadre", cadre=cadre))
    page = client.get(f"/staff/reports/me/?year={_year()}").content.decode()
    assert "<li>态度不好</li>" in page and "协助填写</span>" not in page


def test_the_small_cell_rule_keeps_the_channel_counts_beside_n(rated, reader):
    """Two assisted ratings (under MIN_CELL = 3): the figures are withheld, but n = 2 and how
    the two were gathered stay, in the table and in the export."""
    _cadre, other, _link = rated
    Response.objects.filter(link__visit__lead=other).first().delete()
    rows = _csv(reader.get(f"/staff/reports/scores.csv?year={_year()}").content.decode())
    mine = next(r for r in rows if r["干部"] == other.name)
    assert (mine["有效评价"], mine["手机扫码"], mine["纸质问卷"], mine["协助填写"]) == (
        "2",
        "0",
        "0",
        "2",
    )
    assert mine["满意率"] == ""


def test_the_periodic_summary_counts_the_channels_and_filters_on_them(rated, reader, county):
    from openpyxl import load_workbook

    unit = county["350901"]["county"]
    url = f"/staff/reports/summary/?unit={unit.code}&year={_year()}"
    page = reader.get(url)
    [row] = [r for r in page.context["report"].satisfaction if r["n"]]
    assert (row["n"], row["n_web"], row["n_paper"], row["n_assisted"]) == (43, 15, 25, 3)
    assert '<option value="assisted">协助填写</option>' in page.content.decode()
    paper = reader.get(url + "&channel=paper")
    [row] = [r for r in paper.context["report"].satisfaction if r["n"]]
    assert (row["n"], row["n_web"], row["n_paper"]) == (25, 0, 25)
    assert "仅" not in paper.context["title"]  # visits, quotas and cases have no channel
    assert "群众满意度（仅纸质问卷）</h2>" in paper.content.decode()
    assert "channel=paper" in paper.context["query"]
    book = load_workbook(io.BytesIO(reader.get(url + "&channel=paper&format=xlsx").content))
    sheet = book["群众满意度"]
    header = [c.value for c in sheet[2]]
    assert header[3:7] == ["有效评价", "手机扫码", "纸质问卷", "协助填写"]
    assert sheet["A1"].value.endswith(" · 群众满意度（仅纸质问卷）")
    assert "仅" not in book["下基层人员"]["A1"].value


def test_the_assessment_table_has_a_channel_column_and_filter(rated, county):
    from openpyxl import load_workbook

    from analytics.assessment import runs

    _cadre, other, _link = rated
    officer = Client()
    officer.force_login(staff_user("officer", county["350901"]["county"], "personnel"))
    cycle = create_cycle(unit=county["350901"]["county"], year=_year())
    runs.run_all(runs.start(cycle))
    url = f"/staff/reports/assessment/{cycle.pk}/"
    page = officer.get(url).content.decode()
    assert '<td class="table-num channel-counts">15/25/0</td>' in page
    assert '<td class="table-num channel-counts">0/0/3</td>' in page
    assisted = officer.get(url + "?channel=assisted")
    names = [row["result"].cadre.name for row in assisted.context["table"].rows]
    assert names == [other.name]
    assert "（仅列出有协助填写评价的干部）" in assisted.content.decode()
    assert "table.xlsx?channel=assisted" in assisted.content.decode()
    book = officer.get(f"/staff/reports/assessment/{cycle.pk}/table.xlsx?channel=assisted")
    sheet = load_workbook(io.BytesIO(book.content)).active
    assert sheet["A1"].value.endswith("（仅列出有协助填写评价的干部）")
    assert [c.value for c in sheet[2][4:7]] == ["手机扫码", "纸质问卷", "协助填写"]
    assert [(r[1], r[4], r[5], r[6]) for r in sheet.iter_rows(min_row=3, values_only=True)] == [
        (other.name, 0, 0, 3)
    ]


def test_the_rated_cadre_reads_his_report_whole_without_the_channel_filter(rated):
    """The second outside attack: on his own page 张伟 filtered ?channel=assisted and read
    exactly the comments his helped residents gave; and web+paper against paper+assisted (n=4
    each, shown) gave away the two assisted residents' 工作态度 under the n < 3 rule. His own
    page offers no filter and ignores one in the address; his comments come in word order."""
    cadre, _other, link = rated
    clerk = staff_user("grid", cadre.unit)
    _commented(link, Response.Channel.ASSISTED, "乙：态度不好", helper=clerk)
    _commented(link, Response.Channel.WEB, "甲：来得太少")
    _yesterday()
    client = Client()
    client.force_login(staff_user("self", cadre.unit, "cadre", cadre=cadre))
    for url in ("/staff/reports/me/", f"/staff/reports/cadres/{cadre.pk}/"):
        whole = client.get(f"{url}?year={_year()}")
        assert 'name="channel"' not in whole.content.decode()
        sliced = client.get(f"{url}?year={_year()}&channel=assisted")
        assert sliced.context["report"].overall["n"] == whole.context["report"].overall["n"] == 42
        assert [text for text, _ in sliced.context["report"].comments] == [
            "乙：态度不好",
            "甲：来得太少",
        ]


def test_the_dashboard_withholds_what_its_exports_withhold(rated, reader):
    """The second outside attack: with two assisted ratings the page showed 3.00 / 5.00 / 5.00
    and 100 % while the CSV, Excel and PDF of the same report left them blank."""
    _cadre, other, _link = rated
    Response.objects.filter(link__visit__lead=other).first().delete()
    page = reader.get(f"/staff/reports/?year={_year()}")
    [row] = [r for r in page.context["report"].rows if r["name"] == other.name]
    assert row["n"] == 2 and row["n_assisted"] == 2 and row["small"]
    assert row["attitude_mean"] is None and row["satisfaction"] is None


def test_a_figure_over_fewer_than_three_answers_is_withheld_though_n_is_three():
    """Three paper sheets, one of them without 工作态度: its mean would be two residents'."""
    from analytics.satisfaction import private

    row = {"name": "张伟", "n": 3, "attitude_n": 2, "style_n": 3, "results_n": 3}
    row |= {"overall_n": 3, "attitude_mean": 5.0, "style_mean": 4.0, "n_paper": 3}
    shown = private(row)
    assert shown["attitude_mean"] is None and shown["style_mean"] is None and shown["small"]
    assert (shown["n"], shown["n_paper"]) == (3, 3)
    assert private({**row, "attitude_n": 3}) == {**row, "attitude_n": 3}


def test_the_scores_pdf_counts_the_channels_and_never_prints_nan(rated, reader, tmp_path):
    from tests.pdf_layout import lines

    _cadre, other, _link = rated

    def pdf_text():
        url = f"/staff/reports/scores.pdf?year={_year()}"
        return "\n".join(lines(reader.get(url).content, tmp_path))

    text = pdf_text()
    assert "扫码/纸质/协助" in text and "15/25/0" in text and "0/0/3" in text
    Response.objects.exclude(link__visit__lead=other).delete()
    Response.objects.filter(pk=Response.objects.first().pk).delete()  # one rating left: no α
    Response.objects.filter(pk=Response.objects.first().pk).delete()
    text = pdf_text()
    assert "nan" not in text and "α = —" in text


def test_export_responses_filters_on_the_channel(rated):
    out = io.StringIO()
    call_command("export_responses", "--channel", "assisted", columns="codes", stdout=out)
    rows = _csv(out.getvalue())
    assert len(rows) == 3 and {r["channel"] for r in rows} == {"assisted"}


def test_the_rated_cadre_reads_todays_ratings_tomorrow(rated, reader):
    """The second outside attack: 张伟 reloaded his page before and after one paper sheet was
    typed in and read its answers from the change (n 5 → 6, 3.50 → 3.00: 工作态度 1). His
    page reads the ratings as of the day's start; staff read them at once."""
    cadre, _other, link = rated
    _yesterday()
    client = Client()
    client.force_login(staff_user("self", cadre.unit, "cadre", cadre=cadre))
    before = client.get(f"/staff/reports/me/?year={_year()}")
    _commented(link, Response.Channel.PAPER, "路太窄")
    after = client.get(f"/staff/reports/me/?year={_year()}")
    assert before.context["report"].overall == after.context["report"].overall
    assert "路太窄" not in after.content.decode() and "数据截至昨日" in after.content.decode()
    staff = reader.get(f"/staff/reports/cadres/{cadre.pk}/?year={_year()}")
    assert staff.context["report"].overall["n"] == 41 and "路太窄" in staff.content.decode()
