"""Double entry of returned sheets (issue 19 §3): two different accounts type a sheet in blind,
the readings are compared field by field, only agreement (or a third account's decision on each
differing field) stores one paper Response; nothing counts before."""

import re

import pytest

from surveys.models import Response
from surveys.paper import services
from surveys.paper.models import PaperEntry
from tests.factories import staff_user
from tests.surveys.paper.conftest import ANSWERS, post_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def printed(visit, clerks):
    return services.print_batch(link=visit.rating_link, count=5, size="a4", user=clerks[0])


def test_two_agreeing_entries_by_two_accounts_store_one_paper_response(
    client, visit, clerks, printed
):
    client.force_login(clerks[0])
    assert post_entry(client, visit, 2).status_code == 302
    assert not Response.objects.exists()  # nothing counts before agreement
    client.force_login(clerks[1])
    form = client.get(f"/staff/visits/{visit.pk}/paper/enter/?sheet=2")
    # Blind: the second account's form is empty (every question at 未填), the first reading is
    # nowhere on the page.
    checked = re.findall(r"<input[^>]*checked[^>]*>", form.content.decode())
    assert form.status_code == 200 and checked
    assert all('value=""' in box for box in checked)
    assert post_entry(client, visit, 2, {**ANSWERS, "comment": "  路灯 修好了 "}).status_code == 302
    assert not Response.objects.exists()  # a differing comment: no agreement yet
    client.force_login(clerks[0])
    assert post_entry(client, visit, 3).status_code == 302
    client.force_login(clerks[1])
    assert post_entry(client, visit, 3).status_code == 302
    response = Response.objects.get()
    assert response.channel == Response.Channel.PAPER
    assert response.helper == clerks[0]
    assert response.review == Response.Review.VALID
    assert {a.question.code: a.value for a in response.answers.all()} == ANSWERS
    assert PaperEntry.objects.get(response=response).sheet == 3


def test_the_same_account_never_makes_two_entries(client, visit, clerks, printed):
    client.force_login(clerks[0])
    post_entry(client, visit, 1)
    page = post_entry(client, visit, 1)
    assert page.status_code == 400
    assert "须由另一个账号录入" in page.content.decode()
    assert PaperEntry.objects.count() == 1 and not Response.objects.exists()


def test_a_sheet_never_printed_is_refused(client, visit, clerks, printed):
    client.force_login(clerks[0])
    page = post_entry(client, visit, 6)
    assert page.status_code == 400 and "从未打印" in page.content.decode()
    assert not PaperEntry.objects.exists()


def test_a_counted_sheet_is_never_counted_twice(visit, clerks, printed):
    link = visit.rating_link
    services.enter_sheet(link=link, sheet=1, answers=ANSWERS, user=clerks[0])
    assert services.enter_sheet(link=link, sheet=1, answers=ANSWERS, user=clerks[1]) is (
        services.Result.STORED
    )
    with pytest.raises(services.PaperError):
        services.enter_sheet(link=link, sheet=1, answers=ANSWERS, user=clerks[2])
    assert Response.objects.count() == 1


def test_disagreement_goes_to_a_third_account_who_decides_each_differing_field(
    client, visit, clerks, printed
):
    link = visit.rating_link
    services.enter_sheet(link=link, sheet=4, answers=ANSWERS, user=clerks[0])
    second = {**ANSWERS, "style": "2", "overall": "dissatisfied"}
    assert services.enter_sheet(link=link, sheet=4, answers=second, user=clerks[1]) is (
        services.Result.DISAGREE
    )
    assert not Response.objects.exists()
    # Neither entrant may decide.
    client.force_login(clerks[1])
    listing = client.get("/staff/paper/disagreements/").content.decode()
    assert "须由他人核对" in listing
    assert client.get(f"/staff/visits/{visit.pk}/paper/sheets/4/resolve/").status_code == 403
    client.force_login(clerks[2])
    listing = client.get("/staff/paper/disagreements/").content.decode()
    assert f"/staff/visits/{visit.pk}/paper/sheets/4/resolve/" in listing
    page = client.get(f"/staff/visits/{visit.pk}/paper/sheets/4/resolve/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "clerk1" in text and "clerk2" in text and "基本满意" in text and "不满意" in text
    # Two differing fields, each with the boxes printed on the sheet and 未填.
    assert text.count('type="radio"') == 6 + 4
    done = client.post(
        f"/staff/visits/{visit.pk}/paper/sheets/4/resolve/", {"style": "2", "overall": "basic"}
    )
    assert done.status_code == 302
    response = Response.objects.get()
    answers = {a.question.code: a.value for a in response.answers.all()}
    assert answers == {**ANSWERS, "style": "2"}
    assert response.channel == Response.Channel.PAPER and response.helper == clerks[0]
    assert "/resolve/" not in client.get("/staff/paper/disagreements/").content.decode()


def test_paper_pages_are_scoped_and_never_for_the_rated_cadre(client, visit, world, clerks):
    _province, _city, counties = world
    stranger = staff_user("stranger", counties["350902"]["county"], "personnel")
    client.force_login(stranger)
    assert client.get(f"/staff/visits/{visit.pk}/paper/").status_code == 404
    assert client.get(f"/staff/visits/{visit.pk}/paper/enter/?sheet=1").status_code == 404
    lead = staff_user("lead", visit.lead.unit, "personnel", cadre=visit.lead)
    client.force_login(lead)
    assert client.get(f"/staff/visits/{visit.pk}/paper/enter/").status_code == 403
    cadre_only = staff_user("someone", visit.lead.unit, "secretary")
    client.force_login(cadre_only)
    assert client.get(f"/staff/visits/{visit.pk}/paper/enter/").status_code == 403


def test_a_scanned_sheet_code_finds_its_sheet_and_another_links_code_is_refused(
    client, visit, clerks, printed
):
    from surveys.paper.codes import sheet_code

    client.force_login(clerks[0])
    url = f"/staff/visits/{visit.pk}/paper/enter/"
    page = client.get(url, {"sheet": sheet_code(visit.rating_link.token, 5)})
    assert page.status_code == 200 and 'name="sheet" value="5"' in page.content.decode()
    other = client.get(url, {"sheet": sheet_code("someOtherToken99", 5)})
    assert other.status_code == 200 and "不是本次活动的问卷" in other.content.decode()
    assert 'name="attitude"' not in other.content.decode()


def test_a_box_ticked_by_mistake_is_undone_with_no_answer(client, visit, clerks, printed):
    """A clerk ticks 工作作风 on a sheet where the resident left it blank: radio buttons cannot
    be unticked, so every question offers 未填 (chosen at first) and the blank is kept."""
    client.force_login(clerks[0])
    form = client.get(f"/staff/visits/{visit.pk}/paper/enter/?sheet=2").content.decode()
    assert "未填（纸面上没有勾选）" in form
    assert post_entry(client, visit, 2, {**ANSWERS, "style": ""}).status_code == 302
    client.force_login(clerks[1])
    assert post_entry(client, visit, 2, {**ANSWERS, "style": ""}).status_code == 302
    response = Response.objects.get()
    assert "style" not in {a.question.code for a in response.answers.all()}


def test_a_superscript_sheet_number_is_a_form_error_not_a_500(client, visit, clerks, printed):
    """'²'.isdigit() is true and int('²') raises: the second attack got a 500 with a traceback."""
    client.force_login(clerks[0])
    for number in ("²", f"MINPING-PAPER:{visit.rating_link.token}:³"):
        page = client.get(f"/staff/visits/{visit.pk}/paper/enter/", {"sheet": number})
        assert page.status_code == 200 and "请输入问卷上的编号" in page.content.decode()


def test_the_entry_messages_read_in_english(client, visit, clerks, printed):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(clerks[0])
    page = client.post(
        f"/staff/visits/{visit.pk}/paper/enter/", {"sheet": 2, **ANSWERS}, follow=True
    )
    text = page.content.decode()
    assert "Sheet 2" in text and "第 2 号问卷已录入第一遍" not in text
