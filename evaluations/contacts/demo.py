"""Demo data for contact points (联系点, 001 §三): every county leader keeps a township, a village,
an enterprise and a household, except two (张伟 has no household yet; 李娜, new in April, has
only a township); 黄建国's village was changed early, with its reason on record; the county's
organisation department is paired with a village (县级以上机关单位结对帮扶)."""

import datetime as dt

from django.contrib.auth.models import User

from evaluations.contacts import services as contacts
from evaluations.models import ContactPoint

K = ContactPoint.Kind
TOWNSHIPS = ["350999-001", "350999-002", "350999-003"]
VILLAGES = ["350999-001-02", "350999-002-01", "350999-002-02", "350999-003-01", "350999-003-02"]
ENTERPRISE = "350999-E01"
# Who is left short, and of what: kinds they have no point of.
SHORT = {"C008": {K.HOUSEHOLD}, "C009": {K.VILLAGE, K.ENTERPRISE, K.HOUSEHOLD}}
EARLY_CHANGE = ("C003", "原联系村与邻村合并，按县委统一部署调整联系点")


def _targets(rng, units, index: int):
    return {
        K.TOWNSHIP: {"unit": units[TOWNSHIPS[index % len(TOWNSHIPS)]]},
        K.VILLAGE: {"unit": units[rng.choice(VILLAGES)]},
        K.ENTERPRISE: {"unit": units[ENTERPRISE]},
        K.HOUSEHOLD: {"household": f"困难户{index + 1:02d}号"},
    }


def seed_contacts(*, rng, units, cadres, visits):
    year = max(v.start_date.year for v in visits)
    actor = User.objects.filter(username="zuzhibu").first()
    leaders = [c for c in cadres.values() if c.level == "county"]
    for index, cadre in enumerate(leaders):
        start = dt.date(year, 4, 1) if cadre.code == "C009" else dt.date(year - 2, 3, 1)
        for kind, target in _targets(rng, units, index).items():
            if kind not in SHORT.get(cadre.code, ()):
                contacts.establish_contact_point(
                    cadre=cadre, kind=kind, on=start, actor=actor, **target
                )
    code, reason = EARLY_CHANGE
    village = ContactPoint.objects.get(cadre=cadres[code], kind=K.VILLAGE)
    others = [units[v] for v in VILLAGES if units[v].pk != village.unit_id]
    contacts.change_contact_point(
        point=village,
        new_unit=rng.choice(others),
        on=dt.date(year, 5, 10),
        reason=reason,
        actor=actor,
    )
    contacts.establish_contact_point(
        organ=units["350999-ZZB"],
        kind=K.VILLAGE,
        unit=units["350999-002-01"],
        on=dt.date(year - 2, 3, 1),
        actor=actor,
    )
