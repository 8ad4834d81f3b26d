"""Appraisal services: the ballot written from the roster, codes within the electorate, void and
reissue logged, a closed session immutable (and every attempt logged), grades set by people."""

import pytest
from django.core.cache import cache

from evaluations.appraisal import services
from evaluations.models import AppraisalLog
from surveys.ballots import services as voting
from surveys.ballots.models import AdmissionCode, Ballot, BallotBox
from surveys.notes import text
from tests.evaluations.appraisal.helpers import branch_of, issue, make_session, secretary, vote

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def branch(world):
    return branch_of(world)[0]


@pytest.fixture
def shuji(branch):
    return secretary(branch)


def actions(session):
    return list(session.log.order_by("pk").values_list("action", flat=True))


def test_the_ballot_lists_graded_subjects_only_and_names_the_groups(branch, shuji):
    session = make_session(branch, shuji, groups=(("党员", 8, 1), ("群众代表", 5, 0.5)))
    options = session.box.options
    assert [i["label"] for i in options["items"]] == [
        "甲党员",
        "乙党员",
        "丙党员",
    ]  # 丁预备 votes only
    assert [text(c["label"]) for c in options["items"][0]["choices"]] == [
        "优秀",
        "合格",
        "基本合格",
        "不合格",
    ]
    assert options["groups"] == {"g1": "党员", "g2": "群众代表"}
    assert "预备党员参加评议，但不评定等次" in text(options["intro"])
    assert session.box.status == BallotBox.Status.OPEN
    assert actions(session) == ["created", "opened"]


def test_a_leadership_team_is_rated_good_to_poor_its_members_on_the_session_scale(branch, shuji):
    session = make_session(
        branch, shuji, kind="leadership", scale="competence", team=("镇党委班子",), probationary=()
    )
    items = session.box.options["items"]
    assert [text(c["label"]) for c in items[0]["choices"]] == ["好", "较好", "一般", "差"]
    assert [text(c["label"]) for c in items[1]["choices"]] == ["优秀", "称职", "基本称职", "不称职"]


def test_codes_never_exceed_the_electorate_of_a_group(branch, shuji):
    session = make_session(branch, shuji, groups=(("党员", 4, 1),))
    assert len(issue(session, shuji)) == 4
    with pytest.raises(services.AppraisalError) as error:
        issue(session, shuji, count=1)
    assert "最多还能发放 0 个" in str(error.value)
    services.void_codes(session=session, serials=[4], reissue=False, actor=shuji)
    assert len(issue(session, shuji, count=1)) == 1


def test_a_lost_slip_is_voided_and_reissued_and_both_are_logged(branch, shuji):
    session = make_session(branch, shuji, groups=(("党员", 3, 1),))
    lost = issue(session, shuji)[1]
    new = services.void_codes(session=session, serials=[2], reissue=True, actor=shuji)
    assert [(serial, name) for serial, _code, name in new] == [(4, "党员")]
    log = {e.action: e.shown for e in session.log.all()}
    assert "作废票号 0002（党员）" in log["voided"]
    assert "0002 → 0004" in log["reissued"]
    assert session.log.get(action="reissued").actor == shuji
    with pytest.raises(voting.BallotError) as error:
        vote(session, lost, "qualified")
    assert error.value.code == "void"
    vote(session, new[0][1], "qualified")
    assert Ballot.objects.count() == 1
    with pytest.raises(services.AppraisalError):  # a used code cannot be voided
        services.void_codes(session=session, serials=[4], reissue=False, actor=shuji)


def test_the_setup_is_locked_once_codes_are_issued_or_voting_opened(branch, shuji):
    draft = make_session(branch, shuji, open_it=False)
    issue(draft, shuji, count=2)
    with pytest.raises(services.AppraisalError) as error:
        services.save_session(
            session=draft,
            subjects=[services.SubjectSpec(name="新党员")],
            groups=[services.GroupSpec(name="党员", voters=5)],
            opens_at=None,
            closes_at=None,
            actor=shuji,
        )
    assert "已经发放了投票码" in str(error.value)
    opened = make_session(branch, shuji)
    with pytest.raises(services.AppraisalError) as error:
        services.save_session(
            session=opened,
            subjects=[services.SubjectSpec(name="新党员")],
            groups=[services.GroupSpec(name="党员", voters=5)],
            opens_at=None,
            closes_at=None,
            actor=shuji,
        )
    assert "评议设置不能再修改" in str(error.value)
    assert [s.name for s in opened.subjects.all()] == ["甲党员", "乙党员", "丙党员", "丁预备"]


def test_a_closed_session_cannot_change_and_every_attempt_is_logged(branch, shuji):
    session = make_session(branch, shuji, groups=(("党员", 3, 1),))
    codes = issue(session, shuji)
    vote(session, codes[0], "excellent", "qualified")
    result = services.close_session(session=session, actor=shuji)
    stored = (Ballot.objects.count(), result, list(AdmissionCode.objects.values_list("status")))
    attempts = [
        lambda: services.issue_codes(
            session=session, group=session.groups.get(), count=1, actor=shuji
        ),
        lambda: services.void_codes(session=session, serials=[2], reissue=True, actor=shuji),
        lambda: services.open_session(session=session, actor=shuji),
        lambda: services.close_session(session=session, actor=shuji),
        lambda: services.save_session(
            session=session,
            subjects=[services.SubjectSpec(name="x")],
            groups=[services.GroupSpec(name="y", voters=1)],
            opens_at=None,
            closes_at=None,
            actor=shuji,
        ),
    ]
    for attempt in attempts:
        with pytest.raises(services.AppraisalError) as error:
            attempt()
        assert "已经结束并锁定" in str(error.value)
    with pytest.raises(voting.BallotError):
        vote(session, codes[1], "excellent")
    session.refresh_from_db()
    assert (
        Ballot.objects.count(),
        session.result,
        list(AdmissionCode.objects.values_list("status")),
    ) == stored
    refused = session.log.filter(action=AppraisalLog.Action.REFUSED)
    assert refused.count() == 5 and all(e.actor == shuji for e in refused)
    assert "发放投票码" in refused.order_by("pk").first().shown


def test_grades_are_recorded_by_people_after_the_close_within_the_cap(branch, shuji):
    session = make_session(branch, shuji, groups=(("党员", 4, 1),))
    for code in issue(session, shuji):
        vote(session, code, "excellent")
    subjects = {s.name: s for s in session.subjects.all()}
    with pytest.raises(services.AppraisalError) as error:
        services.record_grades(session=session, decisions={}, actor=shuji)
    assert "投票结束后" in str(error.value)
    services.close_session(session=session, actor=shuji)
    assert all(s.final_grade == "" for s in session.subjects.all())  # votes set no grade
    too_many = {subjects["甲党员"].pk: ("excellent", ""), subjects["乙党员"].pk: ("excellent", "")}
    with pytest.raises(services.AppraisalError) as error:
        services.record_grades(session=session, decisions=too_many, actor=shuji)
    assert "超过上限 1 人" in str(error.value)  # 1/3 of 3 graded members
    decided = {
        subjects["甲党员"].pk: ("excellent", "支部委员会研究"),
        subjects["乙党员"].pk: ("qualified", ""),
    }
    assert services.record_grades(session=session, decisions=decided, actor=shuji) == 2
    first = session.subjects.get(name="甲党员")
    assert (first.final_grade, first.decided_by, first.decision_note) == (
        "excellent",
        shuji,
        "支部委员会研究",
    )
    assert session.log.filter(action="graded").count() == 2
    graded = [e.shown for e in session.log.filter(action="graded")]
    assert "甲党员：— → 优秀（支部委员会研究）" in graded
    with pytest.raises(services.AppraisalError):
        services.record_grades(
            session=session, decisions={subjects["丙党员"].pk: ("good", "")}, actor=shuji
        )


def test_a_session_cannot_open_without_graded_subjects(branch, shuji):
    with pytest.raises(services.AppraisalError) as error:
        make_session(branch, shuji, members=(), probationary=("丁预备",))
    assert "至少填写一名" in str(error.value)


def test_a_secretary_cannot_grade_himself_typed_in_as_a_free_text_subject(branch, shuji):
    """Scenario: secretary 高洁 typed "高洁" as a subject without a link to his cadre record
    and graded himself 合格 (自评). A subject under the actor's own name is his own too."""
    from tests.factories import CadreFactory

    CadreFactory(unit=branch, name="高洁", user=shuji)
    shuji.refresh_from_db()
    session = make_session(branch, shuji, members=("高洁", "陈建华"), groups=(("党员", 3, 1),))
    services.close_session(session=session, actor=shuji)
    subjects = {s.name: s for s in session.subjects.all()}
    assert subjects["高洁"].cadre_id is None
    with pytest.raises(services.AppraisalError, match="是您本人"):
        services.record_grades(
            session=session, decisions={subjects["高洁"].pk: ("qualified", "自评")}, actor=shuji
        )
    decided = {subjects["陈建华"].pk: ("qualified", "")}
    assert services.record_grades(session=session, decisions=decided, actor=shuji) == 1
