"""Tells the resident's page (surveys) what a link rates, for the subjects this app owns."""

from django.db.models import Q
from django.utils.translation import gettext as _

from evaluations.models import Cadre, Visit
from surveys.subjects import Subject


def _visit_subject(visit: Visit) -> Subject:
    lead = visit.lead
    facts = [
        (_("干部"), _("%(name)s，%(post)s") % {"name": lead.name, "post": lead.post}),
        (_("活动"), visit.get_kind_display()),
        (_("时间"), visit.date_label()),
        (_("地点"), visit.place or visit.target_unit.name),
        (_("事由"), visit.purpose),
    ]
    heading = _("请评价%(name)s的这次%(kind)s") % {
        "name": lead.name,
        "kind": visit.get_kind_display(),
    }
    return Subject(heading=heading, facts=facts)


def _card_subject(cadre: Cadre) -> Subject:
    facts = [(_("干部"), cadre.name), (_("职务"), cadre.post), (_("单位"), cadre.unit.name)]
    return Subject(heading=_("请评价%(name)s的工作") % {"name": cadre.name}, facts=facts)


def describe_link(link) -> Subject | None:
    visit = Visit.objects.select_related("lead", "target_unit").filter(rating_link=link).first()
    if visit is not None:
        return _visit_subject(visit)
    cadre = Cadre.objects.select_related("unit").filter(contact_link=link).first()
    if cadre is not None:
        return _card_subject(cadre)
    return None


def links_rating(user) -> Q:
    """The rating links that rate this account's cadre (the inverse of rated_accounts)."""
    return (
        Q(visit__lead__user=user)
        | Q(visit__companions__user=user)
        | Q(cadre_card__user=user)
        | Q(case__responsible__user=user)
    )


def rated_accounts(link) -> Q:
    """The accounts a link rates (issue 19 §4: never helped to rate by them): a visit's lead and
    companions, a contact card's cadre, the cadre who owns a case."""
    return (
        Q(cadre__led_visits__rating_link=link)
        | Q(cadre__accompanied_visits__rating_link=link)
        | Q(cadre__contact_link=link)
        | Q(cadre__cases_owned__rating_link=link)
    )


def grid_scope(link, user) -> bool | None:
    """A grid worker (网格员) helps the residents of her own grid: the link's visit must go to
    her unit or below it (the second outside attack: 城东社区's grid worker helped on a 南门村
    visit). Cadres go down anywhere they are sent: no say for them, nor for other links."""
    profile = getattr(user, "staff_profile", None)
    if profile is None or profile.roles() != {"grid"}:
        return None
    target = Visit.objects.filter(rating_link=link).values_list("target_unit__path", flat=True)
    path = target.first()
    return None if path is None else path.startswith(profile.unit.path)
