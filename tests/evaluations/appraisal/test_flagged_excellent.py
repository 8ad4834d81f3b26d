"""Accepting 优秀 for a subject the tally flagged needs a written reason (issue 17 §6)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from evaluations.appraisal import services
from tests.evaluations.appraisal.helpers import branch_of, issue, make_session, secretary, vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(world):
    cache.clear()
    shuji = secretary(branch_of(world)[0])
    session = make_session(branch_of(world)[0], shuji, groups=(("党员", 3, 1),))
    # 甲党员: one 优秀 and two 不合格 — over a third 不合格, so the tally flags 需组织认定.
    for code, grade in zip(
        issue(session, shuji), ("excellent", "unqualified", "unqualified"), strict=True
    ):
        vote(session, code, grade, "qualified", "qualified")
    services.close_session(session=session, actor=shuji)
    subjects = {s.name: s for s in session.subjects.filter(is_probationary=False)}
    return session, shuji, subjects


def test_flagged_excellent_without_a_reason_is_refused(closed):
    session, shuji, subjects = closed
    flagged = subjects["甲党员"]
    with pytest.raises(services.AppraisalError) as refused:
        services.record_grades(
            session=session, decisions={flagged.pk: ("excellent", "")}, actor=shuji
        )
    assert refused.value.code == "flagged_excellent" and "甲党员" in str(refused.value)
    flagged.refresh_from_db()
    assert flagged.final_grade == ""
    services.record_grades(
        session=session, decisions={flagged.pk: ("excellent", "抗洪抢险中带头")}, actor=shuji
    )
    flagged.refresh_from_db()
    assert (flagged.final_grade, flagged.decision_note) == ("excellent", "抗洪抢险中带头")


def test_unflagged_excellent_and_flagged_other_grades_need_no_reason(closed):
    session, shuji, subjects = closed
    services.record_grades(
        session=session,
        decisions={
            subjects["乙党员"].pk: ("excellent", ""),
            subjects["甲党员"].pk: ("qualified", ""),
        },
        actor=shuji,
    )
    for subject in subjects.values():
        subject.refresh_from_db()
    assert subjects["乙党员"].final_grade == "excellent"
    assert subjects["甲党员"].final_grade == "qualified"


def test_the_results_page_asks_for_the_reason(client, closed):
    session, shuji, subjects = closed
    client.force_login(shuji)
    data = {f"grade_{s.pk}": "" for s in subjects.values()}
    data.update({f"note_{s.pk}": "" for s in subjects.values()})
    data[f"grade_{subjects['甲党员'].pk}"] = "excellent"
    page = client.post(reverse("staff:appraisal_results", args=[session.pk]), data)
    assert page.status_code == 200
    assert "评定为优秀时请在说明中写明理由" in page.content.decode()
