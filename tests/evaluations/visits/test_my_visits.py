"""A cadre's own pages: record visits, complete them only with a summary, print the card."""

import datetime as dt
import subprocess

import pytest
from django.utils.timezone import localdate

from evaluations.models import Visit
from surveys.models import RatingLink
from tests.conftest import ensure_tool
from tests.factories import CadreFactory, VisitFactory, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def cadre_client(client, world, questionnaire):
    _, _, counties = world
    county = counties["350901"]
    cadre = CadreFactory(unit=county["county"], name="张伟", post="副县长")
    colleague = CadreFactory(unit=county["town"], name="李娜", post="镇长")
    client.force_login(staff_user("zhangwei", county["county"], "cadre", cadre=cadre))
    return client, cadre, colleague, counties


def visit_data(county, **extra):
    return {
        "kind": "research",
        "method": "symposium",
        "target_unit": county["village"].pk,
        "place": "村委会",
        "start_date": "2026-03-30",
        "end_date": "2026-04-02",
        "hours": "20",
        "purpose": "调研村级集体经济",
        **extra,
    }


def test_cadre_records_a_visit_with_companions_and_a_rating_link(cadre_client):
    client, cadre, colleague, counties = cadre_client
    page = client.post(
        "/staff/me/visits/new/", visit_data(counties["350901"], companions=[colleague.pk])
    )
    assert page.status_code == 302
    visit = Visit.objects.get()
    assert visit.lead == cadre and list(visit.companions.all()) == [colleague]
    assert visit.status == Visit.Status.PLANNED and visit.days == 4
    link = visit.rating_link
    assert localdate(link.valid_from) == dt.date(2026, 3, 30)
    assert (localdate(link.valid_until) - dt.date(2026, 4, 2)).days == 31


def test_visit_form_refuses_backwards_dates_in_chinese(cadre_client):
    client, _, _, counties = cadre_client
    page = client.post(
        "/staff/me/visits/new/", visit_data(counties["350901"], end_date="2026-03-01")
    )
    assert page.status_code == 200 and "结束日期不能早于开始日期" in page.content.decode()
    assert Visit.objects.count() == 0


def test_target_unit_of_another_county_is_refused(cadre_client):
    client, _, _, counties = cadre_client
    data = visit_data(counties["350901"], target_unit=counties["350902"]["village"].pk)
    page = client.post("/staff/me/visits/new/", data)
    assert page.status_code == 200 and Visit.objects.count() == 0


def test_editing_moves_the_rating_window(cadre_client):
    client, _cadre, _, counties = cadre_client
    client.post("/staff/me/visits/new/", visit_data(counties["350901"]))
    visit = Visit.objects.get()
    client.post(
        f"/staff/me/visits/{visit.pk}/edit/",
        visit_data(counties["350901"], start_date="2026-04-01"),
    )
    visit.refresh_from_db()
    assert visit.start_date == dt.date(2026, 4, 1)
    assert localdate(visit.rating_link.valid_from) == dt.date(2026, 4, 1)
    assert RatingLink.objects.count() == 1


def test_visit_is_done_only_with_a_summary(cadre_client):
    client, cadre, _, _ = cadre_client
    visit = VisitFactory(lead=cadre, status="planned", summary="")
    page = client.post(f"/staff/me/visits/{visit.pk}/", {"summary": "  "})
    assert "请填写活动总结" in page.content.decode()
    visit.refresh_from_db()
    assert visit.status == "planned"
    client.post(f"/staff/me/visits/{visit.pk}/", {"summary": "走访农户12户，收集意见5条。"})
    visit.refresh_from_db()
    assert visit.status == "done" and visit.summary.startswith("走访农户")


def test_database_refuses_a_done_visit_without_summary(cadre_client):
    from django.db import IntegrityError, transaction

    _, cadre, _, _ = cadre_client
    with pytest.raises(IntegrityError), transaction.atomic():
        VisitFactory(lead=cadre, status="done", summary="")


def test_cadre_sees_own_visits_only(cadre_client):
    client, cadre, colleague, _ = cadre_client
    mine = VisitFactory(lead=cadre, purpose="我的调研")
    joined = VisitFactory(lead=colleague, purpose="同行的调研")
    joined.companions.add(cadre)
    other = VisitFactory(lead=colleague, purpose="别人的调研")
    html = client.get("/staff/me/visits/").content.decode()
    assert mine.purpose in html and joined.purpose in html and other.purpose not in html
    assert client.get(f"/staff/me/visits/{other.pk}/").status_code == 404
    assert client.get(f"/staff/me/visits/{joined.pk}/edit/").status_code == 404


def test_contact_card_pdf_decodes_to_the_cadre_link(cadre_client, tmp_path):
    client, cadre, _, _ = cadre_client
    ensure_tool("pdftoppm", "poppler-utils")
    zbarimg = ensure_tool("zbarimg", "zbar-tools")
    page = client.get("/staff/me/card.pdf")
    assert page.status_code == 200 and page.content.startswith(b"%PDF")
    cadre.refresh_from_db()
    (tmp_path / "card.pdf").write_bytes(page.content)
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", str(tmp_path / "card.pdf"), str(tmp_path / "p")],
        check=True,
    )
    out = subprocess.run(
        [zbarimg, "--raw", "-q", str(next(tmp_path.glob("p*.png")))], capture_output=True, text=True
    )
    decoded = set(out.stdout.split())
    assert decoded == {cadre.contact_link.public_url()}
    assert (
        client.get("/staff/me/card.pdf")
        and RatingLink.objects.filter(cadre_card=cadre).count() == 1
    )


def test_card_link_rates_the_cadre_not_a_visit(cadre_client):
    client, cadre, _, _ = cadre_client
    client.get("/staff/me/card.pdf")
    cadre.refresh_from_db()
    html = client.get(cadre.contact_link.get_absolute_url()).content.decode()
    assert "请评价张伟的工作" in html and "副县长" in html


def test_non_cadre_account_is_refused(client, world):
    _, _, counties = world
    client.force_login(staff_user("officer", counties["350901"]["county"], "personnel"))
    assert client.get("/staff/me/visits/").status_code == 403


def test_edit_form_gives_the_browser_iso_dates(cadre_client):
    client, cadre, _, _ = cadre_client
    visit = VisitFactory(lead=cadre, start_date=dt.date(2026, 3, 30), end_date=dt.date(2026, 4, 2))
    html = client.get(f"/staff/me/visits/{visit.pk}/edit/").content.decode()
    assert 'value="2026-03-30"' in html and 'value="2026-04-02"' in html  # <input type="date">


def test_a_visit_ending_after_today_cannot_be_completed_on_the_page(cadre_client):
    client, cadre, _, _ = cadre_client
    tomorrow = localdate() + dt.timedelta(days=1)
    visit = VisitFactory(lead=cadre, status="planned", summary="", end_date=tomorrow,
                         start_date=tomorrow)  # fmt: skip
    page = client.post(f"/staff/me/visits/{visit.pk}/", {"summary": "提前写好的总结"})
    assert page.status_code == 200 and "结束之前不能标记为完成" in page.content.decode()
    visit.refresh_from_db()
    assert visit.status == "planned"


def test_editing_a_done_visits_dates_asks_for_a_reason_on_the_page(cadre_client):
    client, _cadre, _, counties = cadre_client
    client.post("/staff/me/visits/new/", visit_data(counties["350901"]))
    visit = Visit.objects.get()
    client.post(f"/staff/me/visits/{visit.pk}/", {"summary": "座谈两场"})
    data = visit_data(counties["350901"], end_date="2026-04-20")
    page = client.post(f"/staff/me/visits/{visit.pk}/edit/", data)
    assert page.status_code == 200 and "请填写更正原因" in page.content.decode()
    assert Visit.objects.get().end_date == dt.date(2026, 4, 2)
    data["amendment_reason"] = "驻村时间登记有误"
    assert client.post(f"/staff/me/visits/{visit.pk}/edit/", data).status_code == 302
    assert Visit.objects.get().amendments.get().reason == "驻村时间登记有误"


def test_a_visit_names_the_cadres_own_contact_point(cadre_client):
    """001 §三: "要经常深入联系点" — a visit records which of the cadre's points it worked."""
    from evaluations.models import ContactPoint

    client, cadre, colleague, counties = cadre_client
    village = counties["350901"]["village"]
    own = ContactPoint.objects.create(
        cadre=cadre, kind="village", unit=village, start=dt.date(2025, 1, 1)
    )
    theirs = ContactPoint.objects.create(
        cadre=colleague, kind="village", unit=village, start=dt.date(2025, 1, 1)
    )
    data = visit_data(counties["350901"], contact_point=theirs.pk)
    assert client.post("/staff/me/visits/new/", data).status_code == 200
    assert not Visit.objects.exists()
    data["contact_point"] = own.pk
    assert client.post("/staff/me/visits/new/", data).status_code == 302
    assert Visit.objects.get().contact_point == own


def test_the_expected_audience_is_entered_with_the_visit(cadre_client):
    """参会人数 40 entered with the visit goes onto its rating link, shows again when editing,
    and can be changed (60) or cleared."""
    client, _, _, counties = cadre_client
    client.post("/staff/me/visits/new/", visit_data(counties["350901"], expected_audience="40"))
    visit = Visit.objects.get()
    assert visit.rating_link.expected_audience == 40
    assert (
        'name="expected_audience" value="40"'
        in client.get(f"/staff/me/visits/{visit.pk}/edit/").content.decode()
    )
    for sent, stored in (("60", 60), ("", None)):
        client.post(
            f"/staff/me/visits/{visit.pk}/edit/",
            visit_data(counties["350901"], expected_audience=sent),
        )
        assert RatingLink.objects.get().expected_audience == stored


def test_contact_card_lines_never_start_with_punctuation_or_leave_the_card(cadre_client, tmp_path):
    from tests.pdf_layout import lines, overflows

    client, _, _, _ = cadre_client
    pdf = client.get("/staff/me/card.pdf").content
    assert [line for line in lines(pdf, tmp_path) if line[0] in "，。、；：！？）"] == []
    assert overflows(pdf, tmp_path) == []


def test_a_completed_visit_no_longer_offers_to_complete_it(cadre_client):
    client, cadre, _, _ = cadre_client
    visit = VisitFactory(lead=cadre, status="done", summary="走访农户12户。")
    html = client.get(f"/staff/me/visits/{visit.pk}/").content.decode()
    assert "保存总结并标记完成" not in html and "走访农户12户。" in html
    planned = VisitFactory(lead=cadre, status="planned", summary="")
    assert "保存总结并标记完成" in client.get(f"/staff/me/visits/{planned.pk}/").content.decode()
