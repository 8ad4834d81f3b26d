"""Case moves, review decisions and grades need the right role and never the person concerned
(issue 14 §3)."""

import datetime as dt

import pytest
from django.urls import reverse

from analytics.assessment import runs as assessment
from evaluations.appraisal import services as appraisal
from evaluations.cases import permissions
from evaluations.cases import services as cases
from evaluations.cycles.services import create_cycle
from evaluations.models import AssessmentDecision, Case
from surveys.models import Response
from tests.analytics.conftest import add_responses
from tests.evaluations.appraisal.helpers import make_session
from tests.evaluations.cases.helpers import new_case, visit_in
from tests.factories import CadreFactory, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def here(world, questionnaire):
    _, _, counties = world
    place = counties["350901"]
    lead = CadreFactory(unit=place["county"], name="林县长")
    visit = visit_in(place["village"], day=dt.date(2026, 3, 2), lead=lead)
    return {"place": place, "lead": lead, "visit": visit}


def resident_complaint(visit) -> Case:
    response = add_responses(visit, [(1, 1, 1)])[0]
    return Case.objects.create(
        source=Case.Source.RESIDENT,
        response=response,
        visit=visit,
        unit=visit.target_unit,
        raised_with=visit.lead,
        title="干部态度差",
        raised_on=dt.date(2026, 3, 3),
    )


def decline(client, case):
    url = reverse("staff:case_action", args=[case.pk, "decline"])
    return client.post(url, {"reason": "不予受理"})


@pytest.mark.parametrize("roles", [(), ("discipline",), ("secretary",)])
def test_readers_and_roleless_accounts_cannot_decline(client, here, roles):
    """Scenario: discipline (view only), a branch secretary and a role-less account post a
    decline on a case of their own county; the case stays as it was."""
    case = new_case(here["visit"])
    client.force_login(staff_user("reader", here["place"]["county"], *roles))
    assert decline(client, case).status_code == 403
    assert Case.objects.get(pk=case.pk).status == Case.Status.RECEIVED


def test_a_cadre_cannot_decline_the_complaint_about_his_own_visit(client, here):
    """Scenario: a resident complains about 林县长's visit; 林县长 posts every move on it."""
    case = resident_complaint(here["visit"])
    lead = staff_user("lin", here["place"]["county"], "cadre", cadre=here["lead"])
    client.force_login(lead)
    page = client.get(reverse("staff:case_detail", args=[case.pk]))
    assert page.status_code == 200
    assert reverse("staff:case_action", args=[case.pk, "decline"]) not in page.content.decode()
    for action in ("decline", "accept", "solve_on_spot"):
        url = reverse("staff:case_action", args=[case.pk, action])
        assert client.post(url, {"reason": "x", "result": "x"}).status_code == 403
    assert Case.objects.get(pk=case.pk).status == Case.Status.RECEIVED


def test_even_a_personnel_officer_does_not_handle_a_complaint_about_himself(here):
    """Scenario: 林县长 also holds the personnel role."""
    case = resident_complaint(here["visit"])
    user = staff_user("lin", here["place"]["county"], "personnel", cadre=here["lead"])
    assert permissions.refusal(user, case, "decline") == "concerned"
    officer = staff_user("officer", here["place"]["county"], "personnel")
    assert permissions.refusal(officer, case, "decline") is None


def test_the_receiving_cadre_solves_on_the_spot_and_the_leader_in_charge_closes(client, here):
    case = new_case(here["visit"])
    lead = staff_user("lin", here["place"]["county"], "cadre", cadre=here["lead"])
    assert permissions.refusal(lead, case, "solve_on_spot") is None
    assert permissions.refusal(lead, case, "decline") == "not_allowed"
    leader = CadreFactory(unit=here["place"]["county"])
    case = cases.assign(case=cases.accept(case=case), responsible=leader)
    owner = staff_user("owner", here["place"]["county"], "cadre", cadre=leader)
    assert permissions.refusal(owner, case, "close") is None
    assert permissions.refusal(owner, case, "assign") == "not_allowed"


def test_nobody_reviews_a_rating_of_his_own_work(client, here):
    """Scenario: a discipline officer who is also the visit's lead clears a flag on his visit."""
    response = add_responses(here["visit"], [(1, 1, 1)], review="flagged")[0]
    user = staff_user("lin", here["place"]["county"], "discipline", cadre=here["lead"])
    client.force_login(user)
    url = reverse("staff:review_decide", args=[response.pk])
    assert client.post(url, {"decision": "cleared", "reason": "好"}).status_code == 403
    assert Response.objects.get(pk=response.pk).review == Response.Review.FLAGGED


def test_nobody_grades_himself_in_the_assessment(client, here):
    cycle = create_cycle(unit=here["place"]["county"], year=2026)
    assessment.run_all(assessment.start(cycle))
    user = staff_user("lin", here["place"]["county"], "personnel", cadre=here["lead"])
    client.force_login(user)
    url = reverse("reports:cycle_decide", args=[cycle.pk, here["lead"].pk])
    assert client.post(url, {"grade": "excellent", "reason": "自评"}).status_code == 403
    assert not AssessmentDecision.objects.exists()


def test_nobody_grades_himself_in_an_appraisal(here):
    branch = here["place"]["village"]
    shuji = staff_user("shuji", branch, "secretary", cadre=here["lead"])
    session = make_session(branch, shuji, members=("林县长", "乙党员"), probationary=())
    subject = session.subjects.get(name="林县长")
    subject.cadre = here["lead"]
    subject.save()
    appraisal.close_session(session=session, actor=shuji)
    decisions = {s.pk: ("qualified", "") for s in session.subjects.all()}
    with pytest.raises(appraisal.AppraisalError) as refused:
        appraisal.record_grades(session=session, decisions=decisions, actor=shuji)
    assert refused.value.code == "own_grade"


def test_a_discipline_reader_cannot_post_appraisal_grades(client, here):
    branch = here["place"]["village"]
    shuji = staff_user("shuji", branch, "secretary")
    session = make_session(branch, shuji, members=("甲党员",), probationary=())
    appraisal.close_session(session=session, actor=shuji)
    client.force_login(staff_user("jijian", here["place"]["county"], "discipline"))
    url = reverse("staff:appraisal_results", args=[session.pk])
    subject = session.subjects.get()
    assert client.post(url, {f"grade_{subject.pk}": "excellent"}).status_code == 403
    assert session.subjects.get().final_grade == ""


def test_the_cadre_complained_about_is_never_made_the_leader_in_charge(here):
    """Scenario: the department assigned 林县长 as 包案领导 of a complaint about his own visit;
    he could not act on it, yet as responsible leader he would read the resident's contact."""
    case = cases.accept(case=resident_complaint(here["visit"]))
    with pytest.raises(cases.CaseError, match="不能由其包案"):
        cases.assign(case=case, responsible=here["lead"])
    other = CadreFactory(unit=here["place"]["county"])
    assert cases.assign(case=case, responsible=other).responsible == other
