"""Report pages: scoped to the viewer's jurisdiction, bounded query counts, real exports."""

import io
import warnings
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from evaluations.models import Cadre
from tests.analytics.conftest import add_responses, cadre_with_visit
from tests.factories import CadreFactory, VisitFactory, staff_user
from tests.sheets import assert_fitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_county_data(county):
    # A county leader registered at a township: say so, or the township's default category
    # (乡镇领导, not bound by the county's quotas) would leave the quota chart empty.
    ours, our_visit = cadre_with_visit(
        county["350901"]["town"], name="本县干部", post_category="party_gov"
    )
    theirs, their_visit = cadre_with_visit(county["350902"]["town"], name="外县干部")
    add_responses(our_visit, [(4, 4, 5)] * 12, comment="路修好了")
    add_responses(their_visit, [(2, 3, 2)] * 12)
    return county, ours, theirs


def test_dashboard_shows_own_jurisdiction_only(client, two_county_data):
    county, ours, theirs = two_county_data
    client.force_login(staff_user("officer", county["350901"]["county"], "personnel"))
    html = client.get("/staff/reports/?year=2026").content.decode()
    assert "本县干部" in html and "外县干部" not in html
    assert "样本不足" not in html and "克朗巴赫" in html
    assert "按活动类型" in html and "调查研究" in html
    assert client.get(f"/staff/reports/cadres/{theirs.pk}/?year=2026").status_code == 404
    assert client.get(f"/staff/reports/cadres/{ours.pk}/?year=2026").status_code == 200


def test_cadre_sees_own_report_never_who_rated(client, two_county_data):
    county, ours, _ = two_county_data
    client.force_login(staff_user("cadre", county["350901"]["town"], "cadre", cadre=ours))
    page = client.get("/staff/reports/me/?year=2026")
    html = page.content.decode()
    assert page.status_code == 200 and "路修好了" in html and "本县干部" in html
    for secret in ("device_id", "ip_hash", "设备", "submitted_at"):
        assert secret not in html


def test_dashboard_charts_render_chinese_without_missing_glyphs(client, two_county_data):
    county, _, _ = two_county_data
    client.force_login(staff_user("officer", county["350901"]["county"], "personnel"))
    with warnings.catch_warnings():
        # matplotlib warns "Glyph 26412 (…) missing from font(s) DejaVu Sans." or "findfont: …"
        warnings.filterwarnings("error", message=r".*(Glyph|findfont|missing from font).*")
        html = client.get("/staff/reports/?year=2026").content.decode()
    assert html.count('src="data:image/png;base64,') == 4  # distribution, dimensions, trend, quotas


@pytest.mark.parametrize("cadres", [5, 300])
def test_dashboard_query_count_does_not_grow_with_cadres(
    client, county, cadres, django_assert_max_num_queries
):
    town = county["350901"]["town"]
    for i in range(cadres):
        cadre = CadreFactory(unit=town)
        add_responses(VisitFactory(lead=cadre, target_unit=town), [(4, 4, 4 if i % 2 else 3)] * 3)
    client.force_login(staff_user("officer", county["350901"]["county"], "personnel"))
    # The reference group (issue 12 §5) and the quotas share one read of the rule sets.
    with django_assert_max_num_queries(23):
        assert client.get("/staff/reports/?year=2026").status_code == 200
    assert Cadre.objects.count() == cadres


def test_exports_csv_xlsx_pdf(client, two_county_data):
    county, ours, _ = two_county_data
    client.force_login(staff_user("officer", county["350901"]["county"], "personnel"))
    csv_text = client.get("/staff/reports/scores.csv?year=2026").content.decode()
    assert csv_text.splitlines()[0].startswith(
        "\ufeff干部编号,干部,单位,有效评价,手机扫码,纸质问卷,协助填写,工作态度均值"
    )
    codes = client.get("/staff/reports/scores.csv?year=2026&columns=codes").content.decode()
    assert codes.splitlines()[0].startswith("cadre_code,cadre,unit,n,n_web,n_paper,n_assisted,")
    assert ours.code in csv_text and len(csv_text.splitlines()) == 2
    book = load_workbook(io.BytesIO(client.get("/staff/reports/scores.xlsx?year=2026").content))
    sheet = book.active
    assert sheet["B3"].value == "本县干部" and sheet["D3"].value == 12
    assert sheet["E3"].value == 12 and sheet["F3"].value == 0  # by phone, on paper
    assert sheet["K3"].number_format == "0.0%"
    assert_fitted(sheet, header_row=2)
    pdf = client.get("/staff/reports/scores.pdf?year=2026").content
    assert pdf.startswith(b"%PDF")


def test_unit_outside_jurisdiction_is_404(client, two_county_data):
    county, _, _ = two_county_data
    client.force_login(staff_user("officer", county["350901"]["county"], "personnel"))
    assert client.get("/staff/reports/?unit=350902").status_code == 404
    assert client.get("/staff/reports/?unit=350901-1").status_code == 200


def test_a_cadre_never_sees_the_figures_of_one_residents_answers(client, two_county_data):
    """本县干部 has 12 responses on a research visit and 1 on a petition visit (answers 1, 2, 3,
    overall 不满意): their own report showed that group at exactly 1.00 / 2.00 / 3.00 and 0%.
    Under 3 responses no figure is shown, on the page and in the score export at that grain."""
    import datetime as dt

    from django.utils import timezone

    from analytics import reports

    county, ours, _ = two_county_data
    petition = VisitFactory(lead=ours, kind="petition")
    when = timezone.make_aware(dt.datetime(2026, 8, 3, 9))
    add_responses(petition, [(1, 2, 3)], overall="dissatisfied", when=when)
    user = staff_user("cadre", county["350901"]["town"], "cadre", cadre=ours)
    report = reports.cadre_report(user, cadre=ours, year=2026)
    [small] = [r for r in report.by_kind if r["n"] == 1]
    assert small["attitude_mean"] is None and small["satisfaction"] is None
    assert small["score"] is None and small["small"]
    [august] = [r for r in report.monthly if r["key"] == "2026-08"]
    assert august["results_mean"] is None and august["satisfaction"] is None
    client.force_login(user)
    html = client.get("/staff/reports/me/?year=2026").content.decode()
    row = html.split("信访接待</td>")[1].split("</tr>")[0]
    assert not any(figure in row for figure in ("1.00", "2.00", "3.00", "0%", "0.0"))
    _, visit = cadre_with_visit(county["350901"]["town"], code="LONE")
    add_responses(visit, [(1, 2, 3)], overall="dissatisfied")
    client.force_login(staff_user("officer", county["350901"]["county"], "personnel"))
    text = client.get("/staff/reports/scores.csv?year=2026&columns=codes").content.decode()
    [line] = [row for row in text.splitlines() if row.startswith("LONE,")]
    # Under the smallest cell every figure is withheld; how many ratings there were, and by
    # which channel, stays: a count of sheets says nothing of what one resident answered.
    assert line.split(",")[3:] == ["1", "1", "0", "0", *[""] * 9, "False"]


def test_dashboard_compares_units_on_cadre_means_and_shows_the_pairs(client, county):
    """Two units, two cadres each (12 responses per cadre): the comparison counts 4 cadre
    means, not 48 responses, and the pairwise table the dashboard computed is rendered."""
    from analytics import reports

    town, village = county["350901"]["town"], county["350901"]["village"]
    for unit, triples in ((town, [(5, 5, 4), (4, 4, 4)]), (village, [(3, 3, 3), (2, 3, 2)])):
        for triple in triples:
            add_responses(cadre_with_visit(unit)[1], [triple] * 12)
    officer = staff_user("officer", county["350901"]["county"], "personnel")
    report = reports.dashboard(officer, year=2026, with_charts=False)
    assert report.comparison["n_clusters"] == 4
    assert len(report.pair_rows) == 1 and report.pair_rows[0]["p_holm"] > 0.05
    client.force_login(officer)
    html = client.get("/staff/reports/?year=2026").content.decode()
    assert "单位两两比较" in html and "每名干部的均值计一次" in html


def test_the_csv_rounds_as_the_page_shows_and_codes_keep_full_precision(client, county):
    import csv
    import re

    _ours, visit = cadre_with_visit(county["350901"]["town"], name="本县干部")
    add_responses(visit, [(4, 4, 5)] * 11 + [(1, 2, 1)])  # style mean 3.8333…
    client.force_login(staff_user("officer", county["350901"]["county"], "personnel"))
    text = client.get("/staff/reports/scores.csv?year=2026").content.decode().lstrip("\ufeff")
    header, row = list(csv.reader(io.StringIO(text)))
    row = dict(zip(header, row, strict=True))
    page = client.get("/staff/reports/?year=2026").content.decode()
    shown = re.search(r"<tr[^>]*>\s*<td>1</td>.*?</tr>", page, re.S).group(0)
    for name, on_page in [
        ("工作态度均值", "{:.2f}"),
        ("工作作风均值", "{:.2f}"),
        ("工作实绩均值", "{:.2f}"),
        ("得分(0–100)", "{:.1f}"),
        ("调整后得分", "{:.1f}"),
        ("信度", "{:.2f}"),
    ]:
        value = row[name]
        assert (on_page.format(float(value)) if value else "—") in shown, name
    for name in ("满意率", "满意率下限95%", "满意率上限95%"):
        assert len(row[name].split(".")[-1]) <= 3, name  # 0.917 is the 91.7% shown
        assert f"{float(row[name]) * 100:.1f}%" in shown, name
    codes = client.get("/staff/reports/scores.csv?year=2026&columns=codes").content.decode()
    assert ",3.8333333333333335," in codes  # scripts get the stored figure


def test_exports_without_a_chosen_unit_name_the_readers_own(client, two_county_data):
    """The outside walk: an officer's downloads were all 满意度得分-本辖区-2026.* and the sheet's
    title said 本辖区; they now name the officer's own county, as a chosen unit would be named."""
    county, _ours, _ = two_county_data
    own = county["350901"]["county"]
    client.force_login(staff_user("officer", own, "personnel"))
    for fmt in ("csv", "xlsx", "pdf"):
        page = client.get(f"/staff/reports/scores.{fmt}?year=2026")
        assert f"满意度得分-{own.name}-2026.{fmt}" in unquote(page["Content-Disposition"])
    book = load_workbook(io.BytesIO(client.get("/staff/reports/scores.xlsx?year=2026").content))
    assert own.name in str(book.active["A1"].value)
    assert "本辖区" not in str(book.active["A1"].value)
    compliance = client.get("/staff/compliance/download.csv?year=2026")
    assert f"指标达标-{own.name}-2026.csv" in unquote(compliance["Content-Disposition"])


def test_the_split_by_visit_kind_shows_no_adjusted_score(client, county):
    """An adjusted score per visit kind would be shrunk toward the mean of the split's own
    few rows (three kinds: all pulled to one figure, 信度 0.00), so the split shows the plain
    score only; the ranking keeps the adjusted score, whose reference group the note names."""
    town = county["350901"]["town"]
    cadre, visit = cadre_with_visit(town, name="分类干部")
    add_responses(visit, [(5, 5, 5)] * 12)
    other = VisitFactory(lead=cadre, target_unit=town, kind="petition")
    add_responses(other, [(3, 3, 3)] * 12)
    client.force_login(staff_user("officer", county["350901"]["county"], "personnel"))
    for url in ("/staff/reports/?year=2026", f"/staff/reports/cadres/{cadre.pk}/?year=2026"):
        html = client.get(url).content.decode()
        split = html.split("按活动类型", 1)[1].split("</table>", 1)[0]
        assert "100.0" in split and "50.0" in split  # each kind's own score
        assert "调整后得分" not in split and "信度" not in split
    html = client.get("/staff/reports/?year=2026").content.decode()
    ranking = html.split("干部排名", 1)[1].split("</table>", 1)[0]
    assert "调整后得分" in ranking and "参照组" in ranking


def test_case_rows_name_rated_and_unrated_cadres(county):
    """The case table names the cadres the cases were raised with: those rated from the
    ranking's names, the others read only for the table (never every visible cadre)."""
    import datetime as dt

    from analytics import reports
    from evaluations.models import Case

    town, village = county["350901"]["town"], county["350901"]["village"]
    rated, visit = cadre_with_visit(town, name="有评价干部")
    add_responses(visit, [(4, 4, 4)] * 3)
    unrated = CadreFactory(unit=town, name="无评价干部")
    CadreFactory(unit=town, name="无案件干部")
    for cadre in (rated, unrated):
        Case.objects.create(
            unit=village, raised_with=cadre, title="问题", raised_on=dt.date(2026, 3, 1)
        )
    user = staff_user("officer", county["350901"]["county"], "personnel")
    report = reports.dashboard(user, year=2026, with_charts=False)
    assert sorted(row["name"] for row in report.case_rows) == ["无评价干部", "有评价干部"]
    assert "无案件干部" not in report.names.values()
