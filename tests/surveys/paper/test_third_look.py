"""The third look (issue 19 §3): the third account holds the sheet, so it types what the sheet
says where the two readings differ (an answer neither entrant typed, or nothing at all), or voids
the sheet with a reason; a voided sheet never counts and shows as 作废. Neither entrant may do
the third look, and the page shows only the words printed on the sheet, never a choice code."""

import re

import pytest

from surveys.models import Response
from surveys.paper import services
from surveys.paper.models import PaperEntry
from tests.factories import staff_user
from tests.surveys.paper.conftest import ANSWERS, post_entry

pytestmark = pytest.mark.django_db

QUERIES = 9  # the session, account, unit, roles, visits and the two lists: never one a sheet

FIRST = {**ANSWERS, "gifts": "no", "comment": "路灯修好了"}
SECOND = {**ANSWERS, "style": "2", "overall": "dissatisfied", "gifts": "yes", "comment": ""}


@pytest.fixture
def disagreeing(visit, clerks):
    """Sheet 3 of five, read differently in four fields by clerk1 and clerk2."""
    link = visit.rating_link
    services.print_batch(link=link, count=5, size="a4", user=clerks[0])
    services.enter_sheet(link=link, sheet=3, answers=FIRST, user=clerks[0])
    assert services.enter_sheet(link=link, sheet=3, answers=SECOND, user=clerks[1]) is (
        services.Result.DISAGREE
    )
    return services.batch_of(link, 3)


def resolve_url(visit, sheet=3):
    return f"/staff/visits/{visit.pk}/paper/sheets/{sheet}/resolve/"


def visible(page) -> str:
    """The page's text as a reader sees it: no tags, no attribute values."""
    html = page.content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html.split("<main", 1)[1]).split())


def test_the_third_look_records_what_the_sheet_says_even_unlike_both_readings(
    client, visit, clerks, disagreeing
):
    client.force_login(clerks[2])
    page = client.post(
        resolve_url(visit),
        {
            "style": "3",  # 一般: neither clerk typed it
            "overall": "basic",  # the first reading
            "gifts": "__none__",  # nothing ticked: an optional question left blank
            "comment": "  路灯已经 修好了 ",  # the written words, as read by the third
        },
    )
    assert page.status_code == 302
    response = Response.objects.get()
    answers = {a.question.code: a.value or a.text for a in response.answers.all()}
    assert answers == {**ANSWERS, "style": "3", "comment": "路灯已经 修好了"}
    assert response.channel == Response.Channel.PAPER and response.helper == clerks[0]
    # The audit trail: both readings and the third, which made the sheet count.
    entries = list(PaperEntry.objects.filter(batch=disagreeing, sheet=3))
    assert [(e.round, e.entered_by, e.response_id) for e in entries] == [
        (1, clerks[0], None),
        (2, clerks[1], None),
        (3, clerks[2], response.pk),
    ]
    assert entries[2].answers["gifts"] == "" and entries[2].answers["style"] == "3"
    assert not entries[2].void_reason


def test_every_differing_field_needs_a_reading_of_the_sheet(client, visit, clerks, disagreeing):
    client.force_login(clerks[2])
    typed = {"style": "3", "comment": "路灯已经修好了"}
    page = client.post(resolve_url(visit), typed)
    assert page.status_code == 400
    text = page.content.decode()
    assert "请选定纸面上的答案" in text and "路灯已经修好了" in text  # nothing typed is lost
    assert not Response.objects.exists()
    with pytest.raises(services.PaperError):  # a box the sheet does not print
        services.resolve_sheet(
            batch=disagreeing,
            sheet=3,
            decided={"style": "9", "overall": "basic", "gifts": "", "comment": ""},
            user=clerks[2],
        )
    with pytest.raises(services.PaperError):  # a field the two readings agree on
        services.resolve_sheet(
            batch=disagreeing,
            sheet=3,
            decided={"style": "3", "overall": "basic", "gifts": "", "comment": "", "results": "1"},
            user=clerks[2],
        )
    assert PaperEntry.objects.filter(round=PaperEntry.Round.THIRD).count() == 0


def test_a_voided_sheet_never_counts_is_recorded_and_shows_as_voided(
    client, visit, clerks, disagreeing
):
    client.force_login(clerks[2])
    refused = client.post(resolve_url(visit), {"void": "1", "void_reason": "   "})
    assert refused.status_code == 400 and "请写明作废的理由" in refused.content.decode()
    assert not PaperEntry.objects.filter(round=PaperEntry.Round.THIRD).exists()
    done = client.post(resolve_url(visit), {"void": "1", "void_reason": "同一编号收回两份问卷"})
    assert done.status_code == 302
    assert not Response.objects.exists()
    third = PaperEntry.objects.get(round=PaperEntry.Round.THIRD)
    assert (third.sheet, third.entered_by, third.void_reason) == (
        3,
        clerks[2],
        "同一编号收回两份问卷",
    )
    assert third.entered_at is not None and third.response is None
    # Not pending any more: no resolve link, shown as 作废 with its reason, who and when.
    listing = visible(client.get("/staff/paper/disagreements/"))
    assert "/resolve/" not in client.get("/staff/paper/disagreements/").content.decode()
    assert "没有待核对的纸质问卷" in listing
    assert "3 作废 同一编号收回两份问卷 clerk3" in listing
    paper = visible(client.get(f"/staff/visits/{visit.pk}/paper/"))
    assert "待第三方核对 0" in paper and "已作废 1" in paper
    assert "3 作废 同一编号收回两份问卷 clerk3" in paper
    # The rated cadre sees the count, never who voided a sheet rating him, nor why.
    client.force_login(staff_user("lead", visit.lead.unit, "cadre", cadre=visit.lead))
    theirs = visible(client.get(f"/staff/visits/{visit.pk}/paper/"))
    assert "已作废 1" in theirs and "clerk3" not in theirs and "同一编号" not in theirs
    client.force_login(clerks[2])
    assert client.get(resolve_url(visit)).status_code == 404
    # A voided sheet can be entered no more, by anyone.
    page = post_entry(client, visit, 3)
    assert page.status_code == 400 and "已作废" in page.content.decode()
    assert PaperEntry.objects.filter(sheet=3).count() == 3


def test_neither_entrant_may_void_or_read_the_sheet(client, visit, clerks, disagreeing):
    for clerk in clerks[:2]:
        client.force_login(clerk)
        page = client.post(resolve_url(visit), {"void": "1", "void_reason": "看不清"})
        assert page.status_code == 403
        with pytest.raises(services.PaperError, match="第三个账号"):
            services.void_sheet(batch=disagreeing, sheet=3, reason="看不清", user=clerk)
    assert not PaperEntry.objects.filter(round=PaperEntry.Round.THIRD).exists()
    services.void_sheet(batch=disagreeing, sheet=3, reason="看不清", user=clerks[2])
    with pytest.raises(services.PaperError, match="不在待核对之列"):
        services.resolve_sheet(batch=disagreeing, sheet=3, decided={"style": "3"}, user=clerks[2])


def test_the_resolve_page_shows_the_words_printed_on_the_sheet_never_a_code(
    client, visit, clerks, disagreeing
):
    client.force_login(clerks[2])
    text = visible(client.get(resolve_url(visit)))
    # Question numbers and labels as printed; each reading in its printed words.
    assert (
        "2. 工作作风" in text
        and "4. 总体评价" in text
        and "6. 是否接受吃请或收受礼品（可不填）" in text
    )
    assert "第一遍（clerk1）： 很满意 第二遍（clerk2）： 不满意" in text
    assert "第一遍（clerk1）： 基本满意 第二遍（clerk2）： 不满意" in text
    assert "第一遍（clerk1）： 否 第二遍（clerk2）： 是" in text
    assert "（未填）" in text
    for code in ("satisfied", "basic", "dissatisfied", "yes", "no", "（4）", "（2）", "__none__"):
        assert code not in text, code


def test_the_disagreements_page_reads_few_queries_however_many_sheets_are_voided(
    client, visit, clerks, disagreeing, django_assert_max_num_queries
):
    link = visit.rating_link
    services.print_batch(link=link, count=20, size="a5", user=clerks[0])
    for sheet in range(6, 26):
        services.enter_sheet(link=link, sheet=sheet, answers=FIRST, user=clerks[0])
        services.enter_sheet(link=link, sheet=sheet, answers=SECOND, user=clerks[1])
        if sheet % 2:
            batch = services.batch_of(link, sheet)
            services.void_sheet(batch=batch, sheet=sheet, reason="字迹无法辨认", user=clerks[2])
    client.force_login(clerks[2])
    with django_assert_max_num_queries(QUERIES):
        text = visible(client.get("/staff/paper/disagreements/"))
    assert text.count("字迹无法辨认") == 10 and text.count("逐项核对") == 11


def test_a_blank_sheet_is_no_rating(client, visit, clerks):
    """The second outside attack: sheet 2 entered twice with nothing ticked "已计入", counted in
    n and in 纸质问卷, so with two real sheets the rated cadre read their answers under the
    n < 3 rule. A sheet without any required answer is refused; one with some stays a rating."""
    link = visit.rating_link
    services.print_batch(link=link, count=3, size="a4", user=clerks[0])
    client.force_login(clerks[0])
    page = post_entry(client, visit, 2, {"comment": "只写了意见"})
    assert page.status_code == 400 and "必答题都没有回答" in page.content.decode()
    assert not PaperEntry.objects.exists()
    partial = {"overall": "satisfied"}
    services.enter_sheet(link=link, sheet=1, answers=partial, user=clerks[0])
    services.enter_sheet(link=link, sheet=1, answers=partial, user=clerks[1])
    assert Response.objects.get().channel == Response.Channel.PAPER


def test_the_third_look_cannot_decide_a_sheet_blank(visit, clerks):
    link = visit.rating_link
    services.print_batch(link=link, count=3, size="a4", user=clerks[0])
    services.enter_sheet(link=link, sheet=1, answers={"overall": "basic"}, user=clerks[0])
    services.enter_sheet(link=link, sheet=1, answers={"attitude": "2"}, user=clerks[1])
    batch = services.batch_of(link, 1)
    with pytest.raises(services.PaperError, match="请作废"):
        services.resolve_sheet(
            batch=batch, sheet=1, decided={"overall": "", "attitude": ""}, user=clerks[2]
        )
    assert not Response.objects.exists()


def test_an_optional_question_says_so_once(questionnaire):
    """The second attack: "意见和建议（选填）（可不填）" on the printed sheet."""
    from surveys.models import Question
    from surveys.paper.printed import question_line

    version = questionnaire.latest_published()
    comment = Question.objects.get(version=version, code="comment")
    assert question_line(9, comment) == "9. 意见和建议（选填）"
    comment.text = "意见和建议"
    assert question_line(9, comment) == "9. 意见和建议（可不填）"


def test_neither_entrant_is_offered_the_third_look(client, visit, clerks, disagreeing):
    """The second attack: the first entrant was offered 逐项核对, which then answered 403."""
    link = resolve_url(visit)
    for clerk in clerks[:2]:
        client.force_login(clerk)
        page = client.get("/staff/paper/disagreements/").content.decode()
        assert link not in page and "您录入过，须由他人核对" in page
    client.force_login(clerks[2])
    assert link in client.get("/staff/paper/disagreements/").content.decode()
