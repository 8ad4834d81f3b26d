"""Staff pages of democratic appraisal: set-up, printed slips that a real decoder reads, live
turnout, results only after closing, grades beside the tally, exports, jurisdiction."""

import io
import subprocess
from urllib.parse import unquote

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from evaluations.appraisal import services
from evaluations.models import AppraisalLog, AppraisalSession
from surveys.ballots import codes
from surveys.ballots.models import AdmissionCode
from tests.conftest import ensure_tool
from tests.evaluations.appraisal.helpers import branch_of, issue, make_session, secretary, vote
from tests.evaluations.appraisal.test_forms import posted
from tests.factories import staff_user
from tests.sheets import assert_fitted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def places(world):
    return branch_of(world)


@pytest.fixture
def shuji(places):
    return secretary(places[0])


@pytest.fixture
def session(places, shuji):
    return make_session(places[0], shuji, groups=(("党员", 4, 1), ("群众代表", 3, 0.5)))


# Closing below quorum needs the secretary's explicit acknowledgement (issue 17 §6).
BELOW_QUORUM = {"below_quorum": "1"}


def url(session, tail=""):
    return f"/staff/appraisal/{session.pk}/{tail}"


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return out.stdout


def test_a_secretary_sets_up_a_session_on_the_page(client, places, shuji):
    client.force_login(shuji)
    assert client.get("/staff/appraisal/new/").status_code == 200
    page = client.post(
        "/staff/appraisal/new/",
        posted(
            places[0],
            subjects=[
                {"name": "张红", "note": "支部委员"},
                {"name": "李明"},
                {"name": "王芳", "is_probationary": "on"},
            ],
            groups=[{"name": "党员", "voters": "3", "weight": "1"}],
            opens_at="2026-12-01T09:00",
            closes_at="2026-12-01T12:00",
        ),
    )
    session = AppraisalSession.objects.get()
    assert page.status_code == 302 and page["Location"] == url(session)
    assert [(s.name, s.note, s.is_probationary) for s in session.subjects.all()] == [
        ("张红", "支部委员", False),
        ("李明", "", False),
        ("王芳", "", True),
    ]
    assert [(g.name, g.voters) for g in session.groups.all()] == [("党员", 3)]
    assert session.created_by == shuji and timezone.localtime(session.box.opens_at).hour == 9
    assert [i["label"] for i in session.box.options["items"]] == ["张红", "李明"]
    detail = client.get(url(session)).content.decode()
    assert "预备党员：参加投票，不评定等次" in detail and "开始投票" in detail


def test_the_form_explains_bad_lines_and_scales(client, places, shuji):
    client.force_login(shuji)
    page = client.post(
        "/staff/appraisal/new/",
        posted(
            places[0],
            subjects=[{"name": "张红"}],
            groups=[{"name": "党员", "voters": "many"}],
            scale="team",
            quorum_fraction="half",
            points_excellent="2",
        ),
    )
    html = page.content.decode()
    assert page.status_code == 200 and not AppraisalSession.objects.exists()
    for text in (
        "输入整数",
        "这种评议不能使用该等次",
        "请填写0到1之间的比例",
        "确保该值小于或等于",
    ):
        assert text in html


def test_issued_slips_decode_to_exactly_their_ballot_urls(client, session, shuji, tmp_path):
    zbarimg = ensure_tool("zbarimg", "zbar-tools")
    ensure_tool("pdftoppm", "poppler-utils")
    client.force_login(shuji)
    group = session.groups.get(name="党员")
    page = client.post(url(session, "codes/"), {"group": group.pk, "count": 4})
    assert page.status_code == 200 and page["Content-Type"] == "application/pdf"
    pdf = tmp_path / "slips.pdf"
    pdf.write_bytes(page.content)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp_path / "p")], check=True)
    decoded = []
    for image in sorted(tmp_path.glob("p*.png")):
        out = subprocess.run([zbarimg, "--raw", "-q", str(image)], capture_output=True, text=True)
        decoded += out.stdout.split()
    assert len(decoded) == 4 and all(u.startswith("http://testserver/b/") for u in decoded)
    printed = [u.removeprefix("http://testserver/b/").rstrip("/") for u in decoded]
    hashes = set(AdmissionCode.objects.filter(group="g1").values_list("code_hash", flat=True))
    assert {codes.code_hash(c) for c in printed} == hashes
    text = pdf_text(page.content, tmp_path)
    assert all(codes.display(c) in text for c in printed)
    assert "评议组：党员" in text.replace(" ", "") or "党员" in text
    assert "为“党员”发放投票码 4 个" in session.log.get(action="issued").shown
    ballot = client.get(decoded[0].removeprefix("http://testserver"))
    assert ballot.status_code == 200 and "甲党员" in ballot.content.decode()


def test_codes_beyond_the_electorate_are_refused_on_the_page(client, session, shuji):
    client.force_login(shuji)
    group = session.groups.get(name="群众代表")
    page = client.post(url(session, "codes/"), {"group": group.pk, "count": 5}, follow=True)
    assert "最多还能发放 3 个" in page.content.decode()
    assert not AdmissionCode.objects.exists()


def test_void_and_reissue_from_the_page(client, session, shuji):
    client.force_login(shuji)
    issue(session, shuji, count=3)
    page = client.post(url(session, "void/"), {"serials": "2", "reissue": "on"})
    assert page["Content-Type"] == "application/pdf"
    assert AdmissionCode.objects.get(serial=2).status == "void"
    assert AdmissionCode.objects.filter(serial=4, status="issued").exists()
    quiet = client.post(url(session, "void/"), {"serials": "1, 3"}, follow=True)
    assert "已记入评议日志" in quiet.content.decode()
    assert session.log.filter(action__in=["voided", "reissued"]).count() == 3


def test_turnout_is_live_and_results_wait_for_the_close(client, session, shuji, tmp_path):
    client.force_login(shuji)
    codes_ = issue(session, shuji, count=4)
    for code in codes_[:3]:
        vote(session, code, "excellent", "unqualified", "qualified")
    turnout = client.get(url(session, "turnout/")).content.decode()
    assert "75.0%" in turnout
    # Reloading itself is the reader's choice (WCAG 2.2.1), offered as a link.
    assert 'http-equiv="refresh"' not in turnout and 'href="?live=1"' in turnout
    live = client.get(url(session, "turnout/") + "?live=1").content.decode()
    # A script the page can stop, not <meta refresh> (axe: meta-refresh, critical).
    assert 'http-equiv="refresh"' not in live and "停止自动刷新" in live
    assert 'refresh.js" data-seconds="30"' in live
    for tail in ("results/", "results.xlsx", "results.pdf"):
        hidden = client.get(url(session, tail))
        assert hidden.status_code == 403 and "投票结束后才能查看" in hidden.content.decode()
    assert "不合格" not in turnout
    assert client.post(url(session, "close/"), BELOW_QUORUM).status_code == 302
    results = client.get(url(session, "results/")).content.decode()
    for text in (
        "甲党员",
        "优秀 3（100.0%）",
        "不合格 3（100.0%）",
        "需组织认定",
        "未达到法定人数",
    ):
        assert text in results
    assert "丁预备" in results  # listed as probationary, without a grade
    xlsx = client.get(url(session, "results.xlsx"))
    sheet = load_workbook(io.BytesIO(xlsx.content))["计票结果"]
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "乙党员" in cells and "不合格票数" in cells and 3 in cells
    assert "否" in cells and "票决建议优秀" in cells  # yes/no in words
    header = next(row[0].row for row in sheet.iter_rows() if row[0].value == "序号")
    assert_fitted(sheet, header_row=header)
    name = unquote(xlsx["Content-Disposition"])
    assert name.endswith(f"计票结果-{session.branch.name}-{session.period}.xlsx")
    codes = load_workbook(
        io.BytesIO(client.get(url(session, "results.xlsx?columns=codes")).content)
    )
    header = next(r for r in codes["计票结果"].iter_rows(values_only=True) if r[0] == "no")
    assert "excellent_votes" in header and "proposed_excellent" in header
    pdf = client.get(url(session, "results.pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content, tmp_path).replace(" ", "")
    assert "乙党员" in text and "不简单以票取人" in text


def test_final_grades_are_recorded_beside_the_tally(client, session, shuji):
    client.force_login(shuji)
    for code in issue(session, shuji, count=4):
        vote(session, code, "qualified")
    client.post(url(session, "close/"), BELOW_QUORUM)
    subjects = list(session.subjects.filter(is_probationary=False))
    data = {f"grade_{s.pk}": "qualified" for s in subjects}
    data.update({f"note_{s.pk}": "" for s in subjects})
    data[f"grade_{subjects[0].pk}"] = "excellent"
    data[f"note_{subjects[0].pk}"] = "支部党员大会讨论"
    page = client.post(url(session, "results/"), data)
    assert page.status_code == 302
    assert session.subjects.get(pk=subjects[0].pk).final_grade == "excellent"
    data[f"grade_{subjects[1].pk}"] = "excellent"
    refused = client.post(url(session, "results/"), data)
    assert refused.status_code == 200 and "超过上限" in refused.content.decode()
    assert session.subjects.get(pk=subjects[1].pk).final_grade == "qualified"


def test_attempts_on_a_closed_session_through_the_pages_are_refused_and_logged(
    client, session, shuji
):
    client.force_login(shuji)
    client.post(url(session, "close/"), BELOW_QUORUM)
    group = session.groups.first()
    page = client.post(url(session, "codes/"), {"group": group.pk, "count": 1}, follow=True)
    assert "已经结束并锁定" in page.content.decode()
    client.post(url(session, "open/"))
    assert client.get(url(session, "edit/")).status_code == 302
    assert session.log.filter(action=AppraisalLog.Action.REFUSED).count() == 2
    assert not AdmissionCode.objects.exists()


def test_other_counties_and_plain_cadres_see_nothing(client, session, places):
    _, other_county = places
    client.force_login(staff_user("outsider", other_county, "secretary"))
    assert session.title not in client.get("/staff/appraisal/").content.decode()
    for tail in ("", "turnout/", "results/", "results.xlsx", "edit/"):
        assert client.get(url(session, tail)).status_code == 404
    assert client.post(url(session, "close/"), BELOW_QUORUM).status_code == 404
    client.force_login(staff_user("cadre", places[0], "cadre"))
    assert client.get(url(session)).status_code == 403
    client.force_login(staff_user("officer", places[0].parent.parent, "personnel"))
    assert client.get(url(session)).status_code == 200
    assert (
        client.post(url(session, "close/"), BELOW_QUORUM).status_code == 403
    )  # reading is not running


def test_pages_query_counts_are_bounded(client, places, shuji, django_assert_max_num_queries):
    sessions = [
        make_session(places[0], shuji, members=[f"党员{i}" for i in range(12)]) for _ in range(3)
    ]
    for code in issue(sessions[0], shuji):
        vote(sessions[0], code, "qualified")
    client.force_login(shuji)
    assert client.post(url(sessions[0], "close/"), BELOW_QUORUM).status_code == 302
    with django_assert_max_num_queries(10):
        assert client.get("/staff/appraisal/").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(url(sessions[1])).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(url(sessions[1], "turnout/")).status_code == 200
    for tail in ("results/", "results.xlsx", "results.pdf"):
        with django_assert_max_num_queries(13 if tail == "results/" else 12):
            assert client.get(url(sessions[0], tail)).status_code == 200


def test_the_admin_shows_a_closed_session_read_only_and_logs_a_change_attempt(
    client, session, shuji, django_user_model
):
    admin = django_user_model.objects.create_superuser("root", password="pw-for-tests-1")
    client.force_login(admin)
    change = f"/admin/evaluations/appraisalsession/{session.pk}/change/"
    assert client.get(change).status_code == 200
    services.close_session(session=session, actor=shuji)
    page = client.post(change, {"period": "改过的", "kind": "members"})
    assert page.status_code == 403
    session.refresh_from_db()
    assert session.period == "2026年度"
    refused = session.log.get(action=AppraisalLog.Action.REFUSED)
    assert refused.actor == admin and "管理后台" in refused.shown


def test_results_pdf_keeps_every_word_inside_its_cell(client, session, shuji, tmp_path):
    from tests.pdf_layout import bad_line_starts, overflows

    client.force_login(shuji)
    for code in issue(session, shuji, count=4)[:3]:
        vote(session, code, "excellent", "unqualified", "qualified")
    client.post(url(session, "close/"), BELOW_QUORUM)
    pdf = client.get(url(session, "results.pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    assert overflows(pdf.content, tmp_path) == []
    assert bad_line_starts(pdf.content, tmp_path) == []  # "（33.3%）" is never split


def test_the_session_list_is_searched_filtered_and_exported(client, session, shuji):
    from urllib.parse import unquote

    client.force_login(shuji)
    listed = client.get("/staff/appraisal/").content.decode()
    assert session.branch.name in listed and "共 1 条" in listed
    assert "共 0 条" in client.get("/staff/appraisal/?q=不存在的支部").content.decode()
    assert "共 0 条" in client.get("/staff/appraisal/?status=closed").content.decode()
    assert "共 1 条" in client.get(f"/staff/appraisal/?kind={session.kind}").content.decode()
    export = client.get("/staff/appraisal/?format=xlsx")
    assert "民主评议" in unquote(export["Content-Disposition"])
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[1] == ("评议", "党支部（单位）", "期间", "状态")
    assert rows[2][1] == session.branch.name


def test_the_ballot_reads_in_the_voters_language(client, session, shuji):
    """The ballot's words are stored as messages: one voter reads Chinese, the next English."""
    first, second = issue(session, shuji, count=2)
    chinese = client.get(f"/b/{first}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "请对以下党员逐一评定等次" in chinese and "<span>不合格</span>" in chinese
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/b/{second}/").content.decode()
    assert "<span>Unqualified</span>" in english and "不合格" not in english
    assert "请对以下党员" not in english
