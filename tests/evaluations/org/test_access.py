"""Default deny (issue 14 §1, §2): an account with a unit and no role sees nothing; a role without
a unit gets a clear page; a cadre reads only his or her own results."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from analytics.assessment import runs as assessment
from evaluations.cases import services as cases
from evaluations.cycles.services import create_cycle
from evaluations.models import Cadre, Case, OrgUnit, Visit
from tests.factories import CadreFactory, VisitFactory, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(world, questionnaire):
    _, _, counties = world
    here = counties["350901"]
    lead = CadreFactory(unit=here["county"], name="林县长")
    other = CadreFactory(unit=here["county"], name="王副县长")
    visit = VisitFactory(lead=lead, target_unit=here["village"])
    case = cases.raise_case(visit=visit, cadre=lead, title="水渠堵塞", raised_on=visit.start_date)
    return {"here": here, "lead": lead, "other": other, "visit": visit, "case": case}


def test_a_unit_without_a_role_sees_nothing_and_does_nothing(client, county):
    """Scenario: an account with a county unit and no role opens reports, cases, score exports
    and declines a case. Everything is refused and every query set is empty."""
    nobody = staff_user("nobody", county["here"]["county"])
    for model in (OrgUnit, Cadre, Visit, Case):
        assert not model.objects.visible_to(nobody).exists()
    client.force_login(nobody)
    for url in (
        reverse("reports:dashboard"),
        reverse("reports:export", args=["csv"]),
        reverse("staff:cases"),
        reverse("staff:case_detail", args=[county["case"].pk]),
        reverse("staff:home"),
    ):
        page = client.get(url)
        assert page.status_code == 403, url
        assert "还没有分配角色" in page.content.decode()
    url = reverse("staff:case_action", args=[county["case"].pk, "decline"])
    assert client.post(url, {"reason": "不归我管"}).status_code == 403
    assert Case.objects.get(pk=county["case"].pk).status == Case.Status.RECEIVED


def test_a_role_without_a_unit_gets_a_clear_page(client, county):
    """Scenario: a personnel account whose staff profile was never created opens the pages."""
    user = User.objects.create_user("floating", password="pw-for-tests-1")
    user.groups.add(Group.objects.get_or_create(name="personnel")[0])
    client.force_login(user)
    for url in (reverse("staff:home"), reverse("reports:summary"), reverse("staff:cases")):
        page = client.get(url)
        assert page.status_code == 403 and "还没有所属单位" in page.content.decode()


def test_a_cadre_reads_no_assessment_table_of_colleagues(client, county):
    """Scenario: a cadre account opens the county's assessment cycle, its table, its exports,
    a colleague's sheet and run page. All are refused; the cadre's own report still opens."""
    cycle = create_cycle(unit=county["here"]["county"], year=2026)
    run = assessment.run_all(assessment.start(cycle))
    user = staff_user("lin", county["here"]["county"], "cadre", cadre=county["lead"])
    client.force_login(user)
    for url in (
        reverse("reports:cycles"),
        reverse("reports:cycle", args=[cycle.pk]),
        reverse("reports:cycle_export", args=[cycle.pk, "xlsx"]),
        reverse("reports:cycle_export", args=[cycle.pk, "pdf"]),
        reverse("reports:cycle_sheet", args=[cycle.pk, county["other"].pk]),
        reverse("reports:run", args=[run.pk]),
        reverse("reports:cadre", args=[county["other"].pk]),
    ):
        page = client.get(url)
        assert page.status_code in (403, 404), url
        assert "王副县长" not in page.content.decode(), url
    assert client.get(reverse("reports:mine")).status_code == 200
    assert client.get(reverse("reports:cadre", args=[county["lead"].pk])).status_code == 200


def test_a_cadre_without_a_cadre_record_sees_nothing(county):
    """Scenario: an account in the cadre group never linked to a cadre row."""
    user = staff_user("unlinked", county["here"]["county"], "cadre")
    assert not Case.objects.visible_to(user).exists()
    assert not Visit.objects.visible_to(user).exists()
    assert not Cadre.objects.visible_to(user).exists()


def test_staff_pages_exports_and_refusals_are_never_cached(client, county):
    """Scenario: a shared office computer's browser or a proxy keeps a report page."""
    officer = staff_user("officer", county["here"]["county"], "personnel")
    client.force_login(officer)
    for url in (
        reverse("staff:home"),
        reverse("staff:cases"),
        reverse("reports:export", args=["csv"]),
        reverse("staff:compliance_download", args=["xlsx"]),
        reverse("staff:my_visits"),  # refused: the officer is no cadre
    ):
        assert "no-store" in client.get(url)["Cache-Control"], url
