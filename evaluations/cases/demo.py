"""Demo data of the problem ledger: ~40 cases raised during the demo county's visits (and a few
by residents on the rating form), in every status, some overdue, some rated by the resident."""

import datetime as dt
import uuid

from django.utils import timezone

from evaluations.cases import services as cases
from evaluations.models import Case, CaseEvent
from surveys.models import Answer, Question, RatingLink, Response

CASE_COUNT = 40
RESIDENT_CASES = 6
PROBLEMS = [
    ("村道路灯损坏，夜间出行不便", "岭头至上坪段有6盏路灯不亮，已两个月。"),
    ("灌溉水渠淤堵", "春耕在即，水渠淤堵约300米，需清淤。"),
    ("饮用水水压不足", "村后山片区高峰期自来水水压不足。"),
    ("茶青收购价格波动大", "希望协调茶企稳定收购价格。"),
    ("低保申请进度咨询", "困难户申请低保三个月未有答复。"),
    ("村小学校门口交通安全隐患", "上下学时段车辆多，缺少减速带和标线。"),
    ("宅基地审批手续繁琐", "建房审批要跑多个部门。"),
    ("生活垃圾清运不及时", "垃圾收集点三天清运一次，夏季有异味。"),
    ("征迁补偿款未到位", "道路拓宽征迁补偿款尚未全部发放。"),
    ("医保报销异地结算问题", "在外务工人员异地就医报销慢。"),
    ("山体滑坡隐患", "村民房屋后坡出现裂缝，雨季有滑坡风险。"),
    ("农村电商物流网点缺乏", "快递只能到镇上，取件不便。"),
]
# How many of the demo's cases end in each state; shuffled over the cases.
FATES = {
    "received": 2,
    "declined": 4,
    "on_spot": 6,
    "accepted": 4,
    "assigned": 7,
    "escalated": 4,
    "closed": 13,
}
# An open case raised this long ago is, half the time, closed instead: a few stay overdue.
STALE_DAYS = 60
HANDLING_VALUES = ["5"] * 5 + ["4"] * 4 + ["3"] * 2 + ["2", "1"]
RESIDENT_REPORTS = ["家门口的排水沟堵了，下雨就积水", "村里的健身器材坏了没人修"]


def _token(rng) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
    return "".join(rng.choice(alphabet) for _ in range(16))


def _dated(case: Case, day: dt.date, hour: int) -> None:
    """The demo's history happened on its own dates, not at seeding time."""
    event = CaseEvent.objects.filter(case=case).order_by("-pk").first()
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 30)))
    CaseEvent.objects.filter(pk=event.pk).update(at=at)


def _later(day: dt.date, rng, low: int, high: int, today: dt.date) -> dt.date:
    return min(day + dt.timedelta(days=rng.randint(low, high)), today)


def _move(case: Case, fate: str, *, rng, leaders, today) -> Case:
    day = case.raised_on
    if fate == "received":
        return case
    if fate == "declined":
        case = cases.decline(case=case, reason="属于司法程序事项，已告知群众依法通过诉讼途径解决")
    elif fate == "on_spot":
        case = cases.solve_on_spot(case=case, result="现场协调有关部门，当场答复并解决")
    else:
        case = cases.accept(case=case)
    _dated(case, day, 11)
    if fate in ("declined", "on_spot"):
        return case
    if fate in ("assigned", "escalated", "closed"):
        case = cases.assign(case=case, responsible=rng.choice(leaders))
        _dated(case, _later(day, rng, 0, 2, today), 15)
    if fate == "escalated":
        case = cases.escalate(case=case, to_unit=case.unit.ancestor_at("county"))
        _dated(case, _later(day, rng, 3, 10, today), 10)
    if fate == "closed":
        closed_on = _later(day, rng, 5, 45, today)
        case = cases.close(case=case, result="已协调解决，并向群众反馈", on=closed_on)
        _dated(case, closed_on, 16)
    return case


def _rate(rng, finished: list[Case]) -> None:
    responses, answers = [], []
    for case in finished:
        if rng.random() >= 0.7:
            continue
        version = case.rating_link.questionnaire.latest_published()
        question = Question.objects.get(version=version, code="service")
        value = rng.choice(HANDLING_VALUES)
        response = Response(
            link=case.rating_link,
            version=version,
            submission_id=uuid.UUID(int=rng.getrandbits(128)),
            device_id=f"demo-case-{case.pk}",
            submitted_at=min(
                timezone.now(),
                timezone.make_aware(dt.datetime.combine(case.closed_on, dt.time(19))),
            ),
            seconds_taken=rng.randint(15, 90),
        )
        responses.append(response)
        answers.append(Answer(question=question, value=value, score=int(value)))
    Response.objects.bulk_create(responses)
    for response, answer in zip(responses, answers, strict=True):
        answer.response = response
    Answer.objects.bulk_create(answers)


def _resident_cases(rng, visits) -> list[Case]:
    """A few residents used the optional 反映问题 question on a visit's rating form."""
    answered = Response.objects.filter(
        link__in=[v.rating_link_id for v in visits], submitted_at__lte=timezone.now()
    )
    rated = set(answered.values_list("link_id", flat=True))
    opened = []
    candidates = [v for v in visits if v.rating_link_id in rated]
    for visit in rng.sample(candidates, min(RESIDENT_CASES, len(candidates))):
        response = answered.filter(link=visit.rating_link_id).order_by("pk").first()
        report = rng.choice(RESIDENT_REPORTS)
        question = Question.objects.get(version=response.version, code="problem_report")
        Answer.objects.create(response=response, question=question, text=report)
        opened.append(cases.raise_case(title=report, description=report, response=response))
    return opened


def seed_cases(*, rng, units, cadres, visits) -> None:
    today = timezone.localdate()
    eligible = [
        v
        for v in visits
        if v.kind in ("petition", "onsite", "household", "residence") and v.start_date <= today
    ]
    leaders = [c for c in cadres.values() if c.level == "county"]
    chosen = rng.sample(eligible, min(CASE_COUNT - RESIDENT_CASES, len(eligible)))
    raised = [
        cases.raise_case(
            title=title,
            description=detail,
            visit=visit,
            cadre=visit.lead,
            raised_on=visit.start_date,
        )
        for visit in sorted(chosen, key=lambda v: (v.start_date, v.pk))
        for title, detail in [rng.choice(PROBLEMS)]
    ]
    raised += _resident_cases(rng, visits)
    fates = [fate for fate, count in FATES.items() for _ in range(count)]
    rng.shuffle(fates)
    finished = []
    for case, fate in zip(raised, fates, strict=False):
        RatingLink.objects.filter(pk=case.rating_link_id).update(token=_token(rng))
        _dated(case, case.raised_on, 9)
        stale = (today - case.raised_on).days > STALE_DAYS
        if fate in ("accepted", "assigned") and stale and rng.random() < 0.5:
            fate = "closed"
        case = _move(case, fate, rng=rng, leaders=leaders, today=today)
        if case.status in (Case.Status.SOLVED_ON_SPOT, Case.Status.CLOSED):
            finished.append(case)
    _rate(rng, finished)
