"""A deterministic demo county: units, ~20 cadres, a year of visits, links and responses.

Seeded from a fixed random seed, so every run builds the same county; a second run changes
nothing. Used by `manage.py seed_demo` (and so by `make run`)."""

import datetime as dt
import importlib
import random
import uuid

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from evaluations.models import Cadre, OrgUnit, StaffProfile, Tenure, Visit
from surveys.models import Answer, Questionnaire, RatingLink, Response

SEED = 20261123
YEAR = 2026
DEMO_PASSWORD = "minping-demo-2026"
GRID_UNIT = "350999-001-01"  # 城东社区: the demo grid worker's grid
COUNTY_CODE = "350999"

UNITS = [  # (code, name, level, parent code)
    ("350000", "福建省", "province", None),
    ("350900", "示范市", "city", "350000"),
    (COUNTY_CODE, "清溪县", "county", "350900"),
    ("350999-ZZB", "中共清溪县委组织部", "organ", COUNTY_CODE),
    ("350999-001", "城关镇", "township", COUNTY_CODE),
    ("350999-002", "东岭乡", "township", COUNTY_CODE),
    ("350999-003", "溪口镇", "township", COUNTY_CODE),
    ("350999-001-01", "城东社区", "community", "350999-001"),
    ("350999-001-02", "南门村", "village", "350999-001"),
    ("350999-002-01", "上坪村", "village", "350999-002"),
    ("350999-002-02", "岭头村", "village", "350999-002"),
    ("350999-003-01", "溪口村", "village", "350999-003"),
    ("350999-003-02", "下洋村", "village", "350999-003"),
    ("350999-E01", "清溪茶业有限公司", "enterprise", "350999-003"),
]

CADRES = [  # (code, name, unit, level, post, principal, standing committee)
    ("C001", "林志明", COUNTY_CODE, "county", "县委书记", True, True),
    ("C002", "陈海燕", COUNTY_CODE, "county", "县长", True, True),
    ("C003", "黄建国", COUNTY_CODE, "county", "县委副书记", False, True),
    ("C004", "吴秀英", COUNTY_CODE, "county", "常务副县长", False, True),
    ("C005", "郑伟", COUNTY_CODE, "county", "县委常委、组织部部长", False, True),
    ("C006", "王丽华", COUNTY_CODE, "county", "县委常委、纪委书记", False, True),
    ("C007", "刘强", COUNTY_CODE, "county", "县委常委、宣传部部长", False, True),
    ("C008", "张伟", COUNTY_CODE, "county", "副县长", False, False),
    ("C009", "李娜", COUNTY_CODE, "county", "副县长", False, False),
    ("C010", "杨帆", "350999-001", "township", "城关镇党委书记", True, False),
    ("C011", "赵敏", "350999-001", "township", "城关镇镇长", True, False),
    ("C012", "孙磊", "350999-001", "township", "城关镇副镇长", False, False),
    ("C013", "周静", "350999-002", "township", "东岭乡党委书记", True, False),
    ("C014", "徐涛", "350999-002", "township", "东岭乡乡长", True, False),
    ("C015", "马超", "350999-002", "township", "东岭乡副乡长", False, False),
    ("C016", "朱慧", "350999-003", "township", "溪口镇党委书记", True, False),
    ("C017", "胡斌", "350999-003", "township", "溪口镇镇长", True, False),
    ("C018", "郭芳", "350999-003", "township", "溪口镇副镇长", False, False),
    ("C019", "何勇", "350999-ZZB", "general", "组织部干部科科员", False, False),
    ("C020", "高洁", "350999-001-01", "general", "城东社区党委书记", False, False),
]

ACCOUNTS = [  # (username, unit, role, cadre code or None, superuser)
    ("admin", "350000", "admin", None, True),
    ("zuzhibu", COUNTY_CODE, "personnel", None, False),
    ("jijian", COUNTY_CODE, "discipline", None, False),
    ("shuji", "350999-001-01", "secretary", "C020", False),
    ("zhangwei", COUNTY_CODE, "cadre", "C008", False),
    # A grid worker (网格员) of 城东社区, who helps elderly residents rate (issue 19 §4).
    ("wanggeyuan", GRID_UNIT, "grid", None, False),
]

PURPOSES = {
    "petition": ["接待来访群众，协调解决土地纠纷", "下访接待，听取群众对征迁补偿的诉求"],
    "onsite": ["现场协调农村饮水安全工程", "现场办公解决乡村道路硬化问题"],
    "research": ["调研茶产业发展与茶农增收", "调研农村养老服务情况", "调研基层减负落实情况"],
    "publicity": ["宣讲党的二十届四中全会精神", "讲授专题党课：密切联系群众"],
    "household": ["走访困难群众，了解生产生活情况", "走访慰问老党员"],
    "residence": ["驻村蹲点，指导村级集体经济发展"],
    "pairing": ["结对帮扶脱贫户，落实帮扶措施"],
}
FILLER_COMMENTS = [
    "",
    "",
    "",
    "干部很耐心",
    "问题解决得很及时",
    "希望多来村里看看",
    "路灯的事还没落实",
    "态度好，办事实在",
    "建议提前通知时间",
]


def _token(rng: random.Random) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
    return "".join(rng.choice(alphabet) for _ in range(16))


@transaction.atomic
def seed(*, stdout=None) -> bool:
    """Build the demo county; return False (and change nothing) if it is already there."""
    if OrgUnit.objects.filter(code=COUNTY_CODE).exists():
        return False
    say = stdout.write if stdout else (lambda line: None)
    rng = random.Random(SEED)
    say("  单位、干部和账号 (units, cadres, accounts)…")
    units = {}
    for code, name, level, parent in UNITS:
        units[code] = OrgUnit.objects.create(
            code=code, name=name, level=level, parent=units.get(parent)
        )
    cadres = {}
    for code, name, unit, level, post, principal, committee in CADRES:
        cadres[code] = Cadre.objects.create(
            code=code,
            name=name,
            unit=units[unit],
            level=level,
            post=post,
            is_principal=principal,
            is_standing_committee=committee,
        )
    _tenures(cadres)
    _accounts(units, cadres)
    questionnaire = Questionnaire.objects.get(code="default")
    version = questionnaire.latest_published()
    targets = [
        u for u in units.values() if u.level in ("village", "community", "enterprise", "township")
    ]
    say("  一年的下基层活动和群众评价 (a year of visits and ratings)…")
    visits = _visits(rng, cadres, targets, questionnaire)
    _responses(rng, visits, version)
    for dotted in DEMO_EXTRAS:
        module, name = dotted.rsplit(".", 1)
        say(f"  {module.split('.')[1]}…")
        getattr(importlib.import_module(module), name)(
            rng=rng, units=units, cadres=cadres, visits=visits
        )
    return True


# Each feature adds its own demo data: a function taking rng, units, cadres and visits.
DEMO_EXTRAS: list[str] = [
    "evaluations.quota.demo.seed_compliance",
    "evaluations.cases.demo.seed_cases",
    "evaluations.appraisal.demo.seed_appraisal",
    "evaluations.contacts.demo.seed_contacts",
    "evaluations.visits.demo.seed_picks",
    "evaluations.planning.demo.seed_planning",
    "evaluations.todo.demo.seed_todo",
]

# 李娜 took up her post on 1 April of the demo year: compliance judges only her full periods.
LATE_STARTERS = {"C009": dt.date(YEAR, 4, 1)}


def _tenures(cadres):
    Tenure.objects.bulk_create(
        Tenure(
            cadre=c,
            unit=c.unit,
            level=c.level,
            post=c.post,
            is_principal=c.is_principal,
            is_standing_committee=c.is_standing_committee,
            start=LATE_STARTERS.get(c.code, dt.date(YEAR - 2, 1, 1)),
        )
        for c in cadres.values()
    )


def _accounts(units, cadres):
    for username, unit, role, cadre, superuser in ACCOUNTS:
        user = User.objects.create_user(
            username, password=DEMO_PASSWORD, is_staff=superuser, is_superuser=superuser
        )
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        StaffProfile.objects.create(user=user, unit=units[unit])
        if cadre:
            Cadre.objects.filter(code=cadre).update(user=user)


def _plan(rng, cadre) -> list[tuple[str, dt.date, int, int]]:
    """(kind, start, days, hours) for one cadre's year. County leaders mostly keep the Fujian
    2013 quotas (a petition day a month, about two months of research), with a few gaps."""
    if cadre.level != "county":
        plan = []
        for _ in range(rng.randint(8, 14)):
            kind = rng.choice(list(PURPOSES))
            days = rng.choice([1, 1, 1, 2, 3]) if kind in ("research", "residence") else 1
            start = dt.date(YEAR, 1, 5) + dt.timedelta(days=rng.randint(0, 310))
            plan.append((kind, start, days, rng.choice([2, 3, 4, 6, 8]) * days))
        return plan
    skipped = set(rng.sample(range(1, 12), k=rng.choice([0, 0, 0, 1, 2])))
    plan = [
        ("petition", dt.date(YEAR, month, rng.randint(3, 25)), 1, 6)
        for month in range(1, 12)
        if month not in skipped
    ]
    research_days = 0
    goal = rng.choice([45, 62, 64, 70])
    while research_days < goal:
        kind, days = rng.choice(
            [("residence", 5), ("residence", 4), ("research", 2), ("research", 1)]
        )
        start = dt.date(YEAR, 1, 8) + dt.timedelta(days=rng.randint(0, 300))
        hours = 1 if rng.random() < 0.08 else 8  # now and then a "research day" of one hour
        plan.append((kind, start, days, hours * days))
        research_days += days
    plan += [("onsite", dt.date(YEAR, rng.randint(1, 11), 12), 1, 5)]
    if cadre.is_principal:
        plan += [("publicity", dt.date(YEAR, rng.randint(1, 11), 18), 1, 3)]
    return plan


def _visits(rng, cadres, targets, questionnaire):
    visits = []
    tz = timezone.get_current_timezone()
    for cadre in cadres.values():
        for kind, start, days, hours in _plan(rng, cadre):
            end = start + dt.timedelta(days=days - 1)
            target = rng.choice(targets)
            opens = dt.datetime.combine(start, dt.time(8), tz)
            link = RatingLink.objects.create(
                token=_token(rng),
                title=f"{cadre.name} · {target.name}",
                questionnaire=questionnaire,
                valid_from=opens,
                valid_until=opens + dt.timedelta(days=400),
            )
            visits.append(
                Visit.objects.create(
                    kind=kind,
                    lead=cadre,
                    target_unit=target,
                    place=target.name,
                    start_date=start,
                    end_date=end,
                    purpose=rng.choice(PURPOSES[kind]),
                    summary=f"{rng.choice(PURPOSES[kind])}。收集意见{rng.randint(1, 9)}条。",
                    status="done",
                    rating_link=link,
                    hours=hours,
                )
            )
    return visits


def _responses(rng, visits, version):
    questions = {q.code: q for q in version.ordered_questions()}
    leaning = {}
    responses, answers = [], []
    for visit in visits:
        base = leaning.setdefault(visit.lead_id, rng.uniform(3.2, 4.7))
        for i in range(rng.randint(0, 3)):
            submitted = timezone.make_aware(
                dt.datetime.combine(visit.end_date, dt.time(9))
                + dt.timedelta(hours=rng.randint(0, 200))
            )
            response = Response(
                link=visit.rating_link,
                version=version,
                submission_id=uuid.UUID(int=rng.getrandbits(128)),
                device_id=f"demo-{visit.pk}-{i}",
                submitted_at=submitted,
                seconds_taken=rng.randint(25, 240),
                ip_hash="",
            )
            responses.append(response)
            answers.append(_answer_values(rng, base))
    Response.objects.bulk_create(responses)
    rows = []
    for response, values in zip(responses, answers, strict=True):
        for code, (value, score, text) in values.items():
            rows.append(
                Answer(
                    response=response, question=questions[code], value=value, score=score, text=text
                )
            )
    Answer.objects.bulk_create(rows, batch_size=2000)


def _answer_values(rng, base):
    values = {}
    latent = rng.gauss(base, 0.7)  # one resident's overall impression drives all three
    for code in ("attitude", "style", "results"):
        score = max(1, min(5, round(latent + rng.gauss(0, 0.45))))
        values[code] = (str(score), score, "")
    mean = sum(v[1] for v in values.values()) / 3
    overall = ("satisfied", 3) if mean >= 4 else ("basic", 2) if mean >= 3 else ("dissatisfied", 1)
    values["overall"] = (*overall, "")
    values["light_travel"] = (rng.choice(["yes"] * 9 + ["unknown"]), None, "")
    values["gifts"] = (rng.choice(["no"] * 12 + ["unknown"] * 2 + ["yes"]), None, "")
    values["problem"] = (
        rng.choice(["on_spot", "in_progress", "none", "none", "unsolved"]),
        None,
        "",
    )
    values["category"] = (
        rng.choice(["masses"] * 5 + ["grassroots_cadre", "worker", "other"]),
        None,
        "",
    )
    comment = rng.choice(FILLER_COMMENTS)
    if comment:
        values["comment"] = ("", None, comment)
    return values
