"""Demo 民情日记 picked for 定期报送 (000 (八)): the organisation department's officer picks the
first research visit of each quarter led by a county leader."""

from django.contrib.auth.models import User

from evaluations.visits.services import pick_for_report


def seed_picks(*, rng, units, cadres, visits):
    officer = User.objects.get(username="zuzhibu")
    firsts = {}
    for visit in sorted(visits, key=lambda v: (v.start_date, v.pk)):
        quarter = (visit.start_date.month - 1) // 3
        if visit.kind == "research" and visit.lead.level == "county":
            firsts.setdefault(quarter, visit)
    for visit in firsts.values():
        pick_for_report(visit=visit, actor=officer, picked=True)
