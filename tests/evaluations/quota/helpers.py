"""Hand-made worlds for the compliance tests: a small tree, cadres, done or planned visits."""

import datetime as dt

from django.utils import timezone

from evaluations.models import OrgUnit, Visit
from evaluations.visits.models import is_long_run
from tests.factories import CadreFactory, OrgUnitFactory, VisitFactory

D = dt.date


def tree():
    """Fujian (the default rule set applies): a city, a county, a township, a county organ."""
    province = OrgUnitFactory(code="35", name="福建省", level=OrgUnit.Level.PROVINCE)
    city = OrgUnitFactory(code="3509", name="示范市", level=OrgUnit.Level.CITY, parent=province)
    county = OrgUnitFactory(code="350901", name="清溪县", level=OrgUnit.Level.COUNTY, parent=city)
    town = OrgUnitFactory(
        code="350901-1", name="城关镇", level=OrgUnit.Level.TOWNSHIP, parent=county
    )
    organ = OrgUnitFactory(
        code="350901-ZZB", name="县委组织部", level=OrgUnit.Level.ORGAN, parent=county
    )
    village = OrgUnitFactory(
        code="350901-1-1", name="上坪村", level=OrgUnit.Level.VILLAGE, parent=town
    )
    return {
        "province": province,
        "city": city,
        "county": county,
        "town": town,
        "organ": organ,
        "village": village,
    }


def cadre(unit, level="county", post="副县长", *, principal=False, committee=False, **extra):
    return CadreFactory(
        unit=unit,
        level=level,
        post=post,
        is_principal=principal,
        is_standing_committee=committee,
        **extra,
    )


def visit(lead, kind, start, end=None, *, companions=(), status="done", hours=None, reviewed=True):
    """A visit; a done one of a month or more is reviewed (so it counts) unless `reviewed`
    is False."""
    long_run = is_long_run(start, end or start) and status == Visit.Status.DONE
    made = VisitFactory(
        lead=lead,
        kind=kind,
        start_date=start,
        end_date=end or start,
        status=status,
        summary="听取意见，形成问题清单" if status == Visit.Status.DONE else "",
        hours=hours,
        rating_link=None,
        long_run_reviewed_at=timezone.now() if long_run and reviewed else None,
    )
    made.companions.set(companions)
    return made


def monthly(lead, kind, year, months, day=10):
    for month in months:
        visit(lead, kind, D(year, month, day))
