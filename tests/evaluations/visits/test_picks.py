"""000 (八): the unit picks the 民情日记 that go into its 定期报送; who picked it is kept."""

import datetime as dt

import pytest

from evaluations.visits import services
from tests.factories import CadreFactory, VisitFactory, staff_user

pytestmark = pytest.mark.django_db
URL = "/staff/visits/diaries/"
QUERY = "?unit=350901&year=2026&period=3"


@pytest.fixture
def diary(world, questionnaire):
    _, _, counties = world
    a = counties["350901"]
    return VisitFactory(
        lead=CadreFactory(unit=a["county"], name="林县长"),
        target_unit=a["village"],
        status="done",
        summary="接访日：群众反映村道路灯不亮。",
        start_date=dt.date(2026, 3, 10),
        end_date=dt.date(2026, 3, 10),
    )


def test_personnel_picks_and_unpicks(client, diary):
    officer = staff_user("zuzhibu", diary.lead.unit, "personnel")
    client.force_login(officer)
    page = client.get(URL + QUERY)
    assert "接访日" in page.content.decode() and "选入报送" in page.content.decode()
    got = client.post(URL + QUERY, {"visit": diary.pk, "pick": "1"})
    assert got.status_code == 302 and got["Location"] == URL + QUERY
    diary.refresh_from_db()
    assert diary.picked_by == officer and diary.picked_at is not None
    client.post(URL + QUERY, {"visit": diary.pk})
    diary.refresh_from_db()
    assert diary.picked_at is None and diary.picked_by is None


def test_a_year_that_is_no_year_is_a_404(client, diary):
    client.force_login(staff_user("zuzhibu", diary.lead.unit, "personnel"))
    assert client.get(URL + "?unit=350901&year=abc").status_code == 404
    assert client.get(URL + "?unit=350901&year=2026&period=13").status_code == 400


def test_discipline_reads_but_cannot_pick(client, diary):
    client.force_login(staff_user("jijian", diary.lead.unit, "discipline"))
    page = client.get(URL + QUERY).content.decode()
    assert "接访日" in page and "选入报送" not in page
    assert client.post(URL + QUERY, {"visit": diary.pk, "pick": "1"}).status_code == 403
    diary.refresh_from_db()
    assert diary.picked_at is None


def test_nobody_picks_his_own_diary(client, diary):
    user = staff_user("lin", diary.lead.unit, "personnel", cadre=diary.lead)
    with pytest.raises(services.VisitError):
        services.pick_for_report(visit=diary, actor=user, picked=True)
    client.force_login(user)
    page = client.post(URL + QUERY, {"visit": diary.pk, "pick": "1"}, follow=True)
    assert "不能把本人带队的活动选入报送材料" in page.content.decode()


def test_a_planned_visit_cannot_be_picked(diary):
    planned = VisitFactory(lead=diary.lead)
    officer = staff_user("zuzhibu", diary.lead.unit, "personnel")
    with pytest.raises(services.VisitError, match="已完成"):
        services.pick_for_report(visit=planned, actor=officer, picked=True)


def test_another_county_sees_and_picks_nothing(client, diary, world):
    _, _, counties = world
    client.force_login(staff_user("far", counties["350902"]["county"], "personnel"))
    assert "接访日" not in client.get(URL + QUERY).content.decode()
    query = "?unit=350902&year=2026&period=3"
    assert client.post(URL + query, {"visit": diary.pk, "pick": "1"}).status_code == 404
