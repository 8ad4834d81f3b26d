"""Shared set-up of the appraisal tests: a branch, its secretary, sessions, codes and votes."""

import re

from django.core.cache import cache

from evaluations.appraisal import services
from evaluations.models import AppraisalSession
from surveys.ballots import services as voting
from tests.factories import staff_user

MEMBERS = ("甲党员", "乙党员", "丙党员")


def branch_of(world):
    """清溪县城关镇上坪村 plays the party branch; 远山县 is the other county."""
    _, _, counties = world
    return counties["350901"]["village"], counties["350902"]["county"]


def secretary(branch, username="shuji"):
    return staff_user(username, branch, "secretary")


def make_session(
    branch,
    actor,
    *,
    members=MEMBERS,
    probationary=("丁预备",),
    groups=(("党员", 10, 1),),
    kind="members",
    scale="members",
    team=(),
    opens_at=None,
    closes_at=None,
    open_it=True,
    **rules,
) -> AppraisalSession:
    subjects = [services.SubjectSpec(name=n, is_team=True) for n in team]
    subjects += [services.SubjectSpec(name=n) for n in members]
    subjects += [services.SubjectSpec(name=n, is_probationary=True) for n in probationary]
    session = services.save_session(
        session=AppraisalSession(branch=branch, period="2026年度", kind=kind, scale=scale, **rules),
        subjects=subjects,
        groups=[services.GroupSpec(name=n, voters=v, weight=w) for n, v, w in groups],
        opens_at=opens_at,
        closes_at=closes_at,
        actor=actor,
    )
    if open_it:
        services.open_session(session=session, actor=actor)
    return session


def issue(session, actor, *, group=0, count=None) -> list[str]:
    rater_group = list(session.groups.all())[group]
    slips = services.issue_codes(
        session=session, group=rater_group, count=count or rater_group.voters, actor=actor
    )
    return [code for _serial, code, _name in slips]


def answers_for(session, *grades) -> dict:
    """Grades in ballot order; missing ones take the last given."""
    session.box.refresh_from_db()
    items = session.box.options["items"]
    return {item["key"]: grades[min(i, len(grades) - 1)] for i, item in enumerate(items)}


def vote(session, code, *grades):
    voting.cast_ballot(code=code, answers=answers_for(session, *grades))


def form_code(html: str) -> str | None:
    match = re.search(r'name="code" value="([^"]+)"', html)
    return match.group(1) if match else None


def clear_cache():
    cache.clear()
