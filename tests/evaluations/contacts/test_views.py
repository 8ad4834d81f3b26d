"""The contact-point pages: coverage report (who lacks what), change and establish forms."""

import datetime as dt
import re

import pytest

from evaluations.models import ContactPoint
from tests.factories import CadreFactory, OrgUnitFactory, staff_user

pytestmark = pytest.mark.django_db
START = dt.date(2025, 1, 1)


@pytest.fixture
def county(world):
    here = world[2]["350901"]
    kept = CadreFactory(name="林志明", unit=here["county"], level="county", post="县委书记")
    lacking = CadreFactory(name="张伟", unit=here["county"], level="county", post="副县长")
    enterprise = OrgUnitFactory(
        code="350901-E1", name="清溪茶业", level="enterprise", parent=here["town"]
    )
    for kind, target in (
        ("township", {"unit": here["town"]}),
        ("village", {"unit": here["village"]}),
        ("enterprise", {"unit": enterprise}),
        ("household", {"household": "困难户甲"}),
    ):
        ContactPoint.objects.create(cadre=kept, kind=kind, start=START, **target)
    village_point = ContactPoint.objects.create(
        cadre=lacking, kind="village", unit=here["village"], start=START
    )
    OrgUnitFactory(code="350901-ZZB", name="清溪县委组织部", level="organ", parent=here["county"])
    there = world[2]["350902"]
    CadreFactory(name="远山干部", unit=there["county"], level="county")
    other = OrgUnitFactory(code="350901-1-2", name="下洋村", level="village", parent=here["town"])
    return {**here, "there": there, "lacking": lacking, "point": village_point, "other": other}


def login(client, unit, *roles, name="zuzhibu", cadre=None):
    client.force_login(staff_user(name, unit, *(roles or ("personnel",)), cadre=cadre))
    return client


def test_coverage_names_who_lacks_what_in_the_own_county(
    client, county, django_assert_max_num_queries
):
    login(client, county["county"])
    # Session, user, cadre, profile, roles (view, nav, template), the form's units, then the
    # nine fixed reads of coverage(): never per cadre.
    with django_assert_max_num_queries(18):
        page = client.get("/staff/contacts/?on=2026-06-30").content.decode()
    assert "领导干部联系点落实情况（2026-06-30）" in page
    assert "林志明" in page and "张伟" in page and "远山干部" not in page
    assert (
        "缺乡镇(街道) 1 个" in page
        and "缺企业(项目) 1 个" in page
        and "缺贫困户/困难户 1 个" in page
    )
    assert "清溪县委组织部" in page and "缺村(社区) 1 个" in page
    assert "共 2 名干部或机关单位缺少联系点" in page
    lacking_only = client.get("/staff/contacts/?on=2026-06-30&lacking=on").content.decode()
    assert "张伟" in lacking_only and "林志明" not in lacking_only


def test_more_cadres_cost_no_more_queries(client, county, django_assert_max_num_queries):
    for _ in range(15):
        CadreFactory(unit=county["county"], level="county")
    login(client, county["county"])
    with django_assert_max_num_queries(18):
        client.get("/staff/contacts/")


def test_another_county_sees_none_of_it(client, county):
    login(client, county["there"]["county"], name="yuanshan")
    page = client.get("/staff/contacts/").content.decode()
    assert "远山干部" in page and "张伟" not in page
    assert client.get(f"/staff/contacts/{county['point'].pk}/change/").status_code == 404
    assert client.get("/staff/contacts/?unit=350901").status_code == 200  # not a choice
    assert client.get(f"/staff/contacts/new/?cadre={county['lacking'].pk}").status_code == 404


def test_a_cadre_only_account_is_refused(client, county):
    login(client, county["county"], "cadre", name="zhangwei", cadre=county["lacking"])
    assert client.get("/staff/contacts/").status_code == 403
    assert client.get(f"/staff/contacts/{county['point'].pk}/change/").status_code == 403


def test_a_change_within_three_years_needs_a_reason_and_records_it(client, county):
    login(client, county["county"])
    url = f"/staff/contacts/{county['point'].pk}/change/"
    data = {"new_unit": county["other"].pk, "on": "2026-06-30", "reason": ""}
    page = client.post(url, data).content.decode()
    assert "2028-01-01之前调整必须填写调整原因" in page
    assert ContactPoint.objects.filter(cadre=county["lacking"]).count() == 1
    response = client.post(url, {**data, "reason": "原联系村已撤并"})
    assert response.status_code == 302
    new = ContactPoint.objects.get(cadre=county["lacking"], end=None)
    assert (new.unit, new.change_reason) == (county["other"], "原联系村已撤并")
    assert new.history.get().history_user.username == "zuzhibu"
    assert "下洋村" in client.get("/staff/contacts/?on=2026-06-30").content.decode()


def test_establish_a_missing_household(client, county):
    login(client, county["county"])
    url = f"/staff/contacts/new/?cadre={county['lacking'].pk}"
    assert "为“张伟”新增联系点" in client.get(url).content.decode()
    data = {"kind": "household", "household": "困难户乙", "on": "2026-06-01"}
    assert client.post(url, data).status_code == 302
    assert ContactPoint.objects.filter(cadre=county["lacking"], household="困难户乙").exists()
    refused = client.post(url, {"kind": "township", "on": "2026-06-01"}).content.decode()
    assert "请选择联系单位。" in refused
    assert client.get("/staff/contacts/new/?cadre=abc").status_code == 404


def test_the_change_form_offers_villages_of_the_jurisdiction_and_an_iso_date(client, county):
    login(client, county["county"])
    page = client.get(f"/staff/contacts/{county['point'].pk}/change/").content.decode()
    assert "下洋村" in page and "远山县上坪村" not in page and "清溪县城关镇" not in page
    assert re.search(r'type="date" name="on" value="\d{4}-\d{2}-\d{2}"', page)
