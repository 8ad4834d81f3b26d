"""The access matrix (issue 14 §5): every URL of the URL conf and the admin, for every role plus
no role and no unit, in its own and in another county, by GET and by POST. Each cell expects a
set of statuses; a 500, a refusal where access is due, access where it is not, or one county's
names on another county's page fails. A new page must say here which roles it serves (SPEC §1,
docs/i14-notes.md), or `test_every_page_declares_its_roles` fails."""

import datetime as dt
import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from analytics.assessment import runs as assessment
from evaluations.appraisal import services as appraisal
from evaluations.cases import services as cases
from evaluations.cycles.services import create_cycle
from evaluations.models import (
    ContactPoint,
    PolicyRuleSet,
    ResearchPlan,
    RuleSetAssignment,
    UnitMeeting,
)
from tests.analytics.conftest import add_responses
from tests.evaluations.appraisal.helpers import make_session
from tests.factories import CadreFactory, VisitFactory, staff_user

pytestmark = pytest.mark.django_db

CADRE, SECRETARY, PERSONNEL, DISCIPLINE, ADMIN = (
    "cadre",
    "secretary",
    "personnel",
    "discipline",
    "admin",
)
EVERY = {CADRE, SECRETARY, PERSONNEL, DISCIPLINE, ADMIN}
READERS = {PERSONNEL, DISCIPLINE, ADMIN}
MANAGERS = {PERSONNEL, ADMIN}
MINE = "own cadre record"  # pages of a cadre's own: any role, and a cadre record
PUBLIC = "public"

# URL name -> the roles it serves (SPEC §1). Staff pages not listed here fail the test.
PAGES = {
    "staff:home": EVERY,
    "staff:inbox": EVERY,
    "staff:inbox_read": EVERY,
    "staff:visits": {CADRE} | READERS,
    # Any role opens a poster of a visit it may list or leads itself (404 otherwise): a party
    # secretary who is also a cadre prints his own from 我的活动.
    "staff:visit_poster": EVERY,
    "staff:diary_picks": READERS,
    "staff:my_visits": MINE,
    "staff:visit_new": MINE,
    "staff:my_visit": MINE,
    "staff:visit_edit": MINE,
    "staff:my_card": MINE,
    "staff:my_quota": MINE,
    "reports:mine": MINE,
    "staff:review": READERS,
    "staff:review_decide": READERS,
    "staff:discipline": READERS,
    "staff:compliance": {CADRE} | READERS,
    "staff:compliance_download": {CADRE} | READERS,
    "staff:meetings": READERS,
    "staff:meeting_edit": MANAGERS,
    "staff:meeting_delete": MANAGERS,
    "staff:rulesets": READERS,
    "staff:questionnaires": READERS,
    "staff:plans": {CADRE} | READERS,
    "staff:plan_edit": MANAGERS,
    "staff:rota": READERS,
    "staff:visit_on_behalf": MANAGERS,
    "staff:questionnaire_version": READERS,
    "staff:questionnaire_preview": READERS,
    "staff:questionnaire_publish": {ADMIN},
    "staff:ruleset_edit": MANAGERS,
    "staff:cases": {CADRE} | READERS,
    "staff:cases_overdue": {CADRE} | READERS,
    "staff:case_detail": {CADRE} | READERS,
    "staff:case_action": {CADRE} | READERS,
    "staff:case_new": {CADRE},
    "staff:case_metrics": READERS,
    "staff:roster_template": MANAGERS,
    "staff:roster_import": MANAGERS,
    "staff:contacts": READERS,
    "staff:contact_new": MANAGERS,
    "staff:contact_change": MANAGERS,
    "staff:appraisal_list": {SECRETARY} | READERS,
    "staff:appraisal_detail": {SECRETARY} | READERS,
    "staff:appraisal_turnout": {SECRETARY} | READERS,
    "staff:appraisal_results": {SECRETARY} | READERS,
    "staff:appraisal_xlsx": {SECRETARY} | READERS,
    "staff:appraisal_pdf": {SECRETARY} | READERS,
    "staff:appraisal_new": {SECRETARY, ADMIN},
    "staff:appraisal_edit": {SECRETARY, ADMIN},
    "staff:appraisal_issue": {SECRETARY, ADMIN},
    "staff:appraisal_void": {SECRETARY, ADMIN},
    "staff:appraisal_open": {SECRETARY, ADMIN},
    "staff:appraisal_close": {SECRETARY, ADMIN},
    "reports:dashboard": READERS,
    "reports:export": READERS,
    "reports:summary": READERS,
    "reports:cadre": {CADRE} | READERS,
    "reports:cycles": MANAGERS,
    "reports:cycle": MANAGERS,
    "reports:cycle_run": MANAGERS,
    "reports:cycle_caps": MANAGERS,
    "reports:cycle_history": MANAGERS,
    "reports:cycle_sheet": MANAGERS,
    "reports:cycle_decide": MANAGERS,
    "reports:cycle_confirm": MANAGERS,
    "reports:cycle_export": MANAGERS,
    "reports:run": MANAGERS,
    "staff:login": PUBLIC,
    "staff:logout": PUBLIC,
    "surveys:rate": PUBLIC,
    "surveys:qr_png": PUBLIC,
    "surveys:qr_svg": PUBLIC,
    "surveys:say": PUBLIC,
    "surveys:ballot_entry": PUBLIC,
    "surveys:ballot": PUBLIC,
    "set_language": PUBLIC,
    "surveys:receipt": PUBLIC,
    "surveys:thanks": PUBLIC,
    # The resident's page behind the token, on a signed-in helper's phone (issue 19 §4); who
    # may help (a cadre or grid worker, not the rated cadre) is tested in tests/inclusive.
    "surveys:assist": PUBLIC,
    "staff:review_decide_cluster": READERS,
    "staff:review_long_run": READERS,
    # Like the poster: any role prints the paper forms of a visit it may list or leads itself.
    "staff:visit_paper": EVERY,
    "staff:visit_paper_print": EVERY,
    "staff:visit_paper_pdf": EVERY,
    # Typing sheets in and the third look: never the cadres the sheets rate (issue 19 §3).
    "staff:visit_paper_enter": READERS,
    "staff:visit_paper_resolve": READERS,
    "staff:paper_disagreements": READERS,
}
# Pages that anyone of PAGES reads but only some may POST to.
POST_ROLES = {
    "staff:meetings": MANAGERS,
    "staff:diary_picks": MANAGERS,
    "staff:rulesets": MANAGERS,
    "staff:questionnaires": {ADMIN},
    "staff:questionnaire_version": {ADMIN},
    "staff:plans": MANAGERS,
    "staff:rota": MANAGERS,
    "staff:appraisal_results": {SECRETARY, ADMIN},
}
# Granted pages may still answer these: a form error, a redirect, a wrong method, an object
# outside the viewer's own rows, or a per-object refusal (a case about oneself, no grade yet).
GRANTED = {200, 302, 400, 404, 405}
PER_OBJECT_403 = {
    "staff:case_action",
    "staff:appraisal_results",
    "reports:cycle_decide",
    # the rated cadre may not print his own visit's paper sheets (issue 19)
    "staff:visit_paper_print",
    "staff:visit_paper_pdf",
}
SECRET = "甲县机密"  # in county A's names and titles: never on a page for county B or a refusal


def walk(patterns=None, namespace=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue  # the admin is walked through its registry below
            ns = f"{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


@pytest.fixture
def world(world, questionnaire):
    """County A (清溪县, 350901) holds one of everything; county B (远山县) holds its own staff."""
    _, _, counties = world
    a, b = counties["350901"], counties["350902"]
    lead = CadreFactory(unit=a["county"], name=f"{SECRET}林县长")
    colleague = CadreFactory(unit=a["county"], name="王副县长")
    visit = VisitFactory(lead=lead, target_unit=a["village"], place=f"{SECRET}村委会")
    add_responses(visit, [(1, 1, 1)], review="flagged")
    day = dt.date(2026, 3, 2)
    case = cases.raise_case(visit=visit, cadre=lead, title=f"{SECRET}的问题", raised_on=day)
    other_visit = VisitFactory(lead=colleague, target_unit=a["village"])
    cases.raise_case(visit=other_visit, cadre=colleague, title="同事的问题", raised_on=day)
    point = ContactPoint.objects.create(
        cadre=lead, kind="village", unit=a["village"], start=dt.date(2026, 1, 1)
    )
    shuji = staff_user("shuji-a", a["village"], SECRETARY)
    session = make_session(a["village"], shuji, members=(f"{SECRET}甲党员",), probationary=())
    appraisal.close_session(session=session, actor=shuji)
    cycle = create_cycle(unit=a["county"], year=2026)
    run = assessment.run_all(assessment.start(cycle))
    meeting = UnitMeeting.objects.create(unit=a["county"], date=day, topic=f"{SECRET}议题")
    assignment = RuleSetAssignment.objects.create(
        ruleset=PolicyRuleSet.objects.get(is_default=True), unit=a["county"], first_year=2026
    )
    objects = {
        "meeting": meeting,
        "plan": ResearchPlan.objects.create(cadre=lead, year=2026, topic=f"{SECRET}课题"),
        "qversion": questionnaire.latest_published(),
        "assignment": assignment,
        "visit": visit,
        "case": case,
        "point": point,
        "session": session,
        "cycle": cycle,
        "run": run,
        "cadre": lead,
        "response": visit.rating_link.responses.get(),
        "token": visit.rating_link.token,
    }
    return a, b, objects, shuji


def persona(name, world):
    """(user or None, county it belongs to: "A", "B" or None)."""
    a, b, objects, shuji = world
    if name == "anonymous":
        return None, None
    if name == "superuser":
        return User.objects.create_superuser("root", password="pw-for-tests-1"), None
    if name == "no role":
        return staff_user("nobody", a["county"]), "A"
    if name == "no unit":
        user = User.objects.create_user("floating", password="pw-for-tests-1")
        user.groups.add(Group.objects.get_or_create(name=PERSONNEL)[0])
        return user, None
    role, county = name.split("-")
    place = {"A": a, "B": b}[county]
    if role == SECRETARY and county == "A":
        return shuji, "A"
    if role == CADRE:
        mine = objects["cadre"] if county == "A" else CadreFactory(unit=b["county"])
        return staff_user(name, place["county"], CADRE, cadre=mine), county
    unit = place["village"] if role == SECRETARY else place["county"]
    return staff_user(name, unit, role), county


def url_for(name, pattern, objects) -> str:
    keys = set(pattern.pattern.regex.groupindex)
    kwargs = {}
    pk_source = {
        "review_long_run": "visit",
        "meeting": "meeting",
        "plan": "plan",
        "questionnaire": "qversion",
        "ruleset": "assignment",
        "visit": "visit",
        "my_visit": "visit",
        "case": "case",
        "contact": "point",
        "appraisal": "session",
        "cycle": "cycle",
        "run": "run",
        "review": "response",
        "cadre": "cadre",
    }
    if "pk" in keys:
        short = name.split(":")[1]
        source = next(v for k, v in pk_source.items() if short.startswith(k))
        if short.startswith("visit"):
            source = "visit"
        kwargs["pk"] = objects[source].pk
    if "cadre_pk" in keys:
        kwargs["cadre_pk"] = objects["cadre"].pk
    if "fmt" in keys:
        kwargs["fmt"] = "xlsx" if name == "reports:cycle_export" else "csv"
    if "action" in keys:
        kwargs["action"] = "decline"
    fixed = {
        "token": objects["token"],
        "code": "ABCD-EFGH",
        "batch": 1,
        "sheet": 1,
        # the 朗读 audio of the published version's first question
        "version_id": objects["qversion"].pk,
        "language": "zh",
        "key": "attitude",
    }
    kwargs.update({key: value for key, value in fixed.items() if key in keys})
    return reverse(name, kwargs=kwargs)


def granted(name, user, roles) -> bool:
    if roles == PUBLIC:
        return True
    if user is not None and user.is_superuser:
        return roles != MINE or hasattr(user, "cadre")
    profile = getattr(user, "staff_profile", None) if user else None
    if profile is None:
        return False
    mine = profile.roles()
    if roles == MINE:
        return bool(mine) and hasattr(user, "cadre")
    return bool(mine & roles)


def expected(name, user, roles, method) -> set[int]:
    if roles == PUBLIC:
        return GRANTED | {403, 409, 410}  # residents' own refusals (CSRF, used codes)
    # 405: a POST-only page refuses a GET before it asks who is there; it shows nothing
    if user is None:
        return {302, 405}  # to the login page
    if not granted(name, user, roles):
        # a page that checks its POST role inside the view first looks for the object: 404
        return {403, 404, 405} if method == "post" and name in POST_ROLES else {403, 405}
    return GRANTED | ({403} if name in PER_OBJECT_403 else set())


PERSONAS = [
    "anonymous",
    "no role",
    "no unit",
    "superuser",
    *(f"{role}-A" for role in (CADRE, SECRETARY, PERSONNEL, DISCIPLINE, ADMIN)),
    "cadre-B",
    "personnel-B",
    "secretary-B",
    "discipline-B",
    "admin-B",
]


def test_every_page_declares_its_roles():
    names = {name for name, _pattern in walk()}
    assert names - set(PAGES) == set(), "declare the roles of the new pages in PAGES"
    assert set(PAGES) - names == set(), "PAGES names a page that no longer exists"


@pytest.mark.parametrize("who", PERSONAS)
def test_matrix(world, who):
    _a, _b, objects, _ = world
    user, county = persona(who, world)
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    wrong = []
    for name, pattern in walk():
        if name in ("staff:logout", "set_language"):
            continue  # would end the session or switch language for the rest of the walk
        for url in urls_for(name, pattern, objects):
            page = client.get(url)
            wrong += cell(who, county, user, name, "get", page)
            if wants_post(url, page, granted(name, user, POST_ROLES.get(name, PAGES[name]))):
                wrong += cell(who, county, user, name, "post", client.post(url))
    assert wrong == []


def urls_for(name, pattern, objects) -> list[str]:
    """The page's URL; for a case, every move of the ledger (not only declining it)."""
    if name != "staff:case_action":
        return [url_for(name, pattern, objects)]
    case = objects["case"].pk
    return [reverse(name, kwargs={"pk": case, "action": a}) for a in cases.TRANSITIONS]


def wants_post(url: str, page, allowed: bool) -> bool:
    """POST where a refusal is due, to a POST-only page, and to a page's own forms (a form
    without an action, or with this URL as its action): every POST action of the UI."""
    if not allowed or page.status_code == 405:
        return True
    if not page.get("Content-Type", "").startswith("text/html"):
        return False  # a download answers a POST as it answers a GET
    html = page.content.decode()
    return bool(OWN_FORM.search(html)) or f'action="{url}"' in html


OWN_FORM = re.compile(r'<form(?![^>]*action=)[^>]*method="post"')


def cell(who, county, user, name, method, response) -> list:
    roles = POST_ROLES.get(name, PAGES[name]) if method == "post" else PAGES[name]
    url = response.wsgi_request.get_full_path()
    body = b"" if response.streaming else response.content
    if response.status_code not in expected(name, user, roles, method):
        return [(method, url, response.status_code, sorted(expected(name, user, roles, method)))]
    leak = county == "B" or not granted(name, user, roles)
    if leak and PAGES[name] != PUBLIC and SECRET.encode() in body:
        return [(method, url, "shows county A", response.status_code)]
    if who == "cadre-A" and "同事的问题".encode() in body:
        return [(method, url, "shows a colleague's case", response.status_code)]
    return []


# Superusers open every admin page in tests/test_admin.py; here, staff who are not superusers.
ADMIN_PERSONAS = ["personnel-A", "admin-A"]


@pytest.mark.parametrize("who", ADMIN_PERSONAS)
def test_admin_matrix(world, who):
    """Every registered model's list, add and change pages, GET and POST: to the admin login."""
    _a, b, _objects, _ = world
    user, _county = persona(who, world)
    user.is_staff = True
    user.save()
    client = Client(raise_request_exception=False)
    client.force_login(user)
    wrong = []
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls = [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]
        first = model._default_manager.first()
        if first is not None:
            urls.append(reverse(f"{prefix}_change", args=[first.pk]))
        for url in [reverse("admin:index"), *urls]:
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                if response.status_code != 302 or "/admin/login/" not in response["Location"]:
                    wrong.append((method, url, response.status_code))
    assert wrong == []
    assert b["county"].parent.code == "3509"  # nothing moved
