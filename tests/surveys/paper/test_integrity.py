"""Paper responses pass the integrity rules that make sense for paper (issue 19 §5): caps,
expected audience, handed-out identical comments, the rating link's window; never the network and
timing checks a clerk at one PC would trip."""

import datetime as dt

import pytest
from django.utils import timezone

from surveys import integrity
from surveys.models import Response
from surveys.paper import services
from tests.surveys.paper.conftest import ANSWERS, post_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def printed(visit, clerks):
    return services.print_batch(link=visit.rating_link, count=40, size="a5", user=clerks[0])


def test_a_clerk_typing_40_sheets_from_one_pc_flags_nothing_and_sheet_41_is_refused(
    client, visit, clerks, printed
):
    """A clerk enters 40 sheets in 10 minutes from one PC, and a colleague the same 40 from the
    next desk: none is flagged as a volley, a serial run, a speeder or a cookieless phone. A 41st
    sheet number, never printed, is refused."""
    for clerk in clerks[:2]:
        client.force_login(clerk)
        for sheet in range(1, 41):
            page = post_entry(client, visit, sheet, {**ANSWERS, "style": str(sheet % 5 + 1)})
            assert page.status_code == 302
    assert Response.objects.filter(channel=Response.Channel.PAPER).count() == 40
    assert integrity.scan_link(visit.rating_link.pk) == {}
    assert not Response.objects.exclude(review=Response.Review.VALID).exists()
    page = post_entry(client, visit, 41)
    assert page.status_code == 400 and "从未打印" in page.content.decode()
    assert Response.objects.count() == 40


def test_paper_beyond_the_expected_audience_waits_for_review(visit, clerks, printed):
    link = visit.rating_link
    link.expected_audience = 5
    link.save()
    limit = integrity.audience_limit(5)
    for sheet in range(1, limit + 3):
        for clerk in clerks[:2]:
            services.enter_sheet(link=link, sheet=sheet, answers=ANSWERS, user=clerk)
    integrity.scan_link(link.pk)
    flagged = Response.objects.filter(review=Response.Review.FLAGGED)
    assert flagged.count() == 2
    assert all("beyond_audience" in r.flags for r in flagged)


def test_the_same_handed_out_comment_on_paper_is_flagged(visit, clerks, printed):
    link = visit.rating_link
    said = {**ANSWERS, "comment": "书记工作认真负责群众非常满意"}
    for sheet in (1, 2, 3):
        for clerk in clerks[:2]:
            services.enter_sheet(link=link, sheet=sheet, answers=said, user=clerk)
    integrity.scan_link(link.pk)
    assert [r.flags for r in Response.objects.all()] == [["duplicate_comment"]] * 3


def test_a_cap_refuses_paper_as_it_refuses_phones(visit, clerks, printed):
    link = visit.rating_link
    link.max_responses = 1
    link.save()
    for clerk in clerks[:2]:
        services.enter_sheet(link=link, sheet=1, answers=ANSWERS, user=clerk)
    with pytest.raises(services.PaperError, match="上限"):
        services.enter_sheet(link=link, sheet=2, answers=ANSWERS, user=clerks[0])


def test_a_sheet_entered_long_after_the_window_is_kept_and_flagged(visit, clerks, printed):
    """Within the window and a week's grace for collecting sheets a sheet counts as usual; one
    typed in a month after the window closed is kept but waits for review."""
    link = visit.rating_link
    services.enter_sheet(link=link, sheet=1, answers=ANSWERS, user=clerks[0])
    services.enter_sheet(link=link, sheet=1, answers=ANSWERS, user=clerks[1])
    link.valid_from = timezone.now() - dt.timedelta(days=90)
    link.valid_until = timezone.now() - services.ENTRY_GRACE + dt.timedelta(hours=1)
    link.save()
    services.enter_sheet(link=link, sheet=2, answers=ANSWERS, user=clerks[0])
    services.enter_sheet(link=link, sheet=2, answers=ANSWERS, user=clerks[1])
    link.valid_until = timezone.now() - dt.timedelta(days=30)
    link.save()
    services.enter_sheet(link=link, sheet=3, answers=ANSWERS, user=clerks[0])
    services.enter_sheet(link=link, sheet=3, answers=ANSWERS, user=clerks[1])
    reviews = dict(
        Response.objects.values_list("paper_entry__sheet", "review").order_by("paper_entry__sheet")
    )
    assert reviews == {1: "valid", 2: "valid", 3: "flagged"}
    late = Response.objects.get(paper_entry__sheet=3)
    assert late.flags == ["late_paper"]
    assert "30 天后才录入" in integrity_reason(late)


def integrity_reason(response) -> str:
    from surveys.review import reasons

    return " ".join(reasons(response))
