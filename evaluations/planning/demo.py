"""Demo planning: a research plan for each county leader (two months a year, 001 §二) and the
reception rota for the coming weeks with two weeks still open, so the gaps show."""

import datetime as dt

from django.contrib.auth.models import User
from django.utils import timezone

from evaluations.models import ResearchPlan
from evaluations.planning.services import can_receive, schedule

TOPICS = [
    "茶产业发展与茶农增收",
    "农村养老服务体系建设",
    "基层减负落实情况",
    "乡村道路和饮水安全",
    "征迁补偿信访积案化解",
]
ROTA_GAPS = (3, 7)  # weeks left open on purpose: the page shows them before they come
ROTA_WEEKS = 12


def seed_planning(*, rng, units, cadres, visits):
    officer = User.objects.get(username="zuzhibu")
    year = max(v.start_date.year for v in visits)
    leaders = [c for c in cadres.values() if c.level == "county"]
    ResearchPlan.objects.bulk_create(
        ResearchPlan(
            cadre=cadre,
            year=year,
            topic=TOPICS[i % len(TOPICS)],
            q1_days=15,
            q2_days=15,
            q3_days=15,
            q4_days=15,
            created_by=officer,
        )
        for i, cadre in enumerate(leaders)
    )
    county = units["350999"]
    receivers = [c for c in leaders if can_receive(c, county)]
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    for week in range(ROTA_WEEKS):
        if week in ROTA_GAPS:
            continue
        schedule(
            unit=county,
            week=monday + dt.timedelta(weeks=week),
            cadre=receivers[week % len(receivers)],
            note="县信访局接待大厅",
            actor=officer,
            today=today,
        )
