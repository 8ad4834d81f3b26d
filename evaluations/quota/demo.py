"""Demo data for quota compliance: 专题研究 meetings of the county standing committee and of the
organisation department, a month now and then missing (001 §二: 每月要专题研究一次)."""

import datetime as dt

from evaluations.models import UnitMeeting

TOPICS = [
    "专题研究群众反映的农村饮水安全问题",
    "专题研究征迁补偿信访积案化解",
    "专题研究乡村道路硬化进度",
    "专题研究基层减负落实情况",
    "专题研究农村养老服务短板",
    "专题研究茶农增收和产销对接",
]
MEETING_UNITS = ["350999", "350999-ZZB"]  # 县委常委会, 县委组织部党组(党委)


def seed_compliance(*, rng, units, cadres, visits):
    year = max(v.start_date.year for v in visits)
    last_month = max(v.end_date for v in visits).month
    rows = []
    for code in MEETING_UNITS:
        skipped = set(rng.sample(range(1, last_month + 1), 2))
        for month in range(1, last_month + 1):
            if month not in skipped:
                day = dt.date(year, month, rng.randint(5, 25))
                rows.append(UnitMeeting(unit=units[code], date=day, topic=rng.choice(TOPICS)))
    UnitMeeting.objects.bulk_create(rows)
