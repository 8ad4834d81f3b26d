"""Tells the resident's page (surveys) what a link rates, for the subjects this app owns."""

from django.utils.translation import gettext as _

from surveys.subjects import Subject


def describe_link(link) -> Subject | None:
    visit = getattr(link, "visit", None)
    if visit is None:
        return None
    lead = visit.lead
    facts = [
        (_("干部"), f"{lead.name}，{lead.post}"),
        (_("活动"), visit.get_kind_display()),
        (_("时间"), visit.date_label()),
        (_("地点"), visit.place or visit.target_unit.name),
        (_("事由"), visit.purpose),
    ]
    return Subject(
        heading=_("请评价%(name)s的这次%(kind)s")
        % {"name": lead.name, "kind": visit.get_kind_display()},
        facts=facts,
    )
