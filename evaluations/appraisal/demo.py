"""Demo data of democratic appraisal for 城东社区: one closed 民主评议党员 with its ballots, and
one open 民主测评 whose turnout moves and whose 群众代表 slips are still to be printed by the
branch secretary (account "shuji")."""

import datetime as dt

from django.contrib.auth.models import User
from django.utils import timezone

from evaluations.appraisal import services
from evaluations.models import AppraisalSession
from surveys.ballots import services as voting

BRANCH = "350999-001-01"  # 城东社区
SECRETARY = "shuji"
MEMBERS = [  # (name, note, probationary)
    ("高洁", "社区党委书记", False),
    ("陈建华", "社区居委会主任", False),
    ("林秀兰", "社区党委委员", False),
    ("王德明", "退休党员", False),
    ("张丽萍", "网格员", False),
    ("刘国强", "个体工商户", False),
    ("黄美玲", "社区医生", False),
    ("吴志刚", "物业公司职工", False),
    ("郑晓燕", "教师", False),
    ("李春生", "退役军人", False),
    ("许文斌", "", True),
    ("蔡雅琴", "", True),
]
# How members tend to be seen: weights of 优秀 / 合格 / 基本合格 / 不合格 on a ballot.
LEANINGS = {"高洁": (5, 5, 0, 0), "刘国强": (0, 3, 4, 4), "黄美玲": (4, 6, 1, 0)}
USUAL = (2, 8, 1, 0)


def _members_session(rng, branch, cadres, actor):
    session = services.save_session(
        session=AppraisalSession(branch=branch, period="2025年度", kind="members"),
        subjects=[
            services.SubjectSpec(
                name=name,
                note=note,
                is_probationary=probationary,
                cadre=cadres["C020"] if name == "高洁" else None,
            )
            for name, note, probationary in MEMBERS
        ],
        groups=[services.GroupSpec(name="党员", voters=len(MEMBERS))],
        opens_at=None,
        closes_at=None,
        actor=actor,
    )
    services.open_session(session=session, actor=actor)
    slips = services.issue_codes(
        session=session, group=session.groups.get(), count=len(MEMBERS), actor=actor
    )
    items = session.box.options["items"]
    for _serial, code, _group in slips[:-1]:  # one member was away
        answers = {
            item["key"]: rng.choices(
                [c["value"] for c in item["choices"]], LEANINGS.get(item["label"], USUAL)
            )[0]
            for item in items
        }
        voting.cast_ballot(code=code, answers=answers)
    services.close_session(session=session, actor=actor)


def _leadership_session(rng, branch, cadres, actor):
    now = timezone.now().replace(second=0, microsecond=0)
    session = services.save_session(
        session=AppraisalSession(
            branch=branch, period="2026年度", kind="leadership", scale="competence"
        ),
        subjects=[
            services.SubjectSpec(name="城东社区党委班子", is_team=True),
            services.SubjectSpec(name="高洁", note="社区党委书记", cadre=cadres["C020"]),
            services.SubjectSpec(name="陈建华", note="社区党委副书记、居委会主任"),
            services.SubjectSpec(name="林秀兰", note="社区党委委员"),
        ],
        groups=[
            services.GroupSpec(name="班子成员", voters=3, weight=0.3),
            services.GroupSpec(name="党员", voters=12, weight=0.4),
            services.GroupSpec(name="群众代表", voters=15, weight=0.3),
        ],
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=14),
        actor=actor,
    )
    services.open_session(session=session, actor=actor)
    items = session.box.options["items"]
    for group, voted in zip(session.groups.all()[:2], (2, 7), strict=True):
        slips = services.issue_codes(session=session, group=group, count=group.voters, actor=actor)
        for _serial, code, _group in slips[:voted]:
            answers = {
                item["key"]: rng.choices([c["value"] for c in item["choices"]], (4, 5, 1, 0))[0]
                for item in items
            }
            voting.cast_ballot(code=code, answers=answers)


def seed_appraisal(*, rng, units, cadres, visits):
    branch = units[BRANCH]
    actor = User.objects.get(username=SECRETARY)
    _members_session(rng, branch, cadres, actor)
    _leadership_session(rng, branch, cadres, actor)
