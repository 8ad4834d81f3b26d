"""联系点 (001 §三): coverage per SPEC §2 level, and the three-year rule on changes."""

import datetime as dt
import re

import pytest

from evaluations.contacts import services as contacts
from evaluations.contacts.services import ContactError, change_contact_point, coverage
from evaluations.models import ContactPoint, OrgUnit, PolicyRuleSet, RuleSetAssignment, Tenure
from tests.factories import CadreFactory, OrgUnitFactory, staff_user

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 6, 30)
START = dt.date(2025, 1, 1)


@pytest.fixture
def county(world):
    _province, city, counties = world
    here = counties["350901"]
    enterprise = OrgUnitFactory(
        code="350901-E1", name="清溪茶业", level="enterprise", parent=here["town"]
    )
    organ = OrgUnitFactory(
        code="350901-ZZB", name="清溪县委组织部", level="organ", parent=here["county"]
    )
    town_organ = OrgUnitFactory(
        code="350901-1-Z", name="城关镇党政办", level="organ", parent=here["town"]
    )
    return {
        **here,
        "city": city,
        "enterprise": enterprise,
        "organ": organ,
        "town_organ": town_organ,
    }


def point(owner, kind, target, start=START, **kwargs):
    target_field = {"household": target} if kind == "household" else {"unit": target}
    owner_field = {"organ": owner} if isinstance(owner, OrgUnit) else {"cadre": owner}
    return ContactPoint.objects.create(
        kind=kind, start=start, **owner_field, **target_field, **kwargs
    )


def by_name(report):
    return {h.owner.name: h for h in report.cadres + report.organs}


def needs(holder):
    return {n.kind: (n.has, n.needs) for n in holder.needs}


def test_coverage_follows_the_requirements_of_each_level(county):
    kept = CadreFactory(name="县长", unit=county["county"], level="county")
    for kind, target in (
        ("township", county["town"]),
        ("village", county["village"]),
        ("enterprise", county["enterprise"]),
        ("household", "困难户甲"),
        ("household", "困难户乙"),
    ):
        point(kept, kind, target)
    city_leader = CadreFactory(name="副市长", unit=county["city"], level="city")
    point(city_leader, "county", county["county"])
    CadreFactory(name="镇长", unit=county["town"], level="township", post="镇长")
    CadreFactory(name="科员", unit=county["organ"], level="general", post="科员")
    report = coverage(OrgUnit.objects.subtree(county["city"]), on=ON)
    holders = by_name(report)
    assert set(holders) == {"县长", "副市长", "清溪县委组织部"}  # 乡科级/一般干部 are not bound
    assert needs(holders["县长"]) == {
        "township": (1, 1),
        "village": (1, 1),
        "enterprise": (1, 1),
        "household": (2, 1),
    }
    assert holders["县长"].lacking == []
    assert needs(holders["副市长"]) == {
        "county": (1, 1),
        "village": (0, 1),
        "enterprise": (0, 1),
        "household": (0, 1),
    }
    assert [n.label for n in holders["副市长"].lacking] == [
        "村(社区)",
        "企业(项目)",
        "贫困户/困难户",
    ]
    # 县级以上机关单位要结对帮扶1个以上村(社区); a township's office is not bound.
    assert needs(holders["清溪县委组织部"]) == {"village": (0, 1)}
    point(county["organ"], "village", county["village"])
    assert by_name(coverage(OrgUnit.objects.all(), on=ON))["清溪县委组织部"].lacking == []


def test_a_rule_set_without_contact_requirements_binds_nobody(county):
    bare = PolicyRuleSet.objects.create(code="bare", name="无联系点要求", source="测试")
    RuleSetAssignment.objects.create(ruleset=bare, unit=county["county"], first_year=2017)
    CadreFactory(name="县长", unit=county["county"], level="county")
    report = coverage(OrgUnit.objects.subtree(county["county"]), on=ON)
    assert report.cadres == [] and report.organs == []


def test_coverage_on_a_past_day_reads_the_post_then(county):
    cadre = CadreFactory(name="新任副县长", unit=county["county"], level="county")
    Tenure.objects.create(
        cadre=cadre,
        unit=county["town"],
        level="township",
        post="镇长",
        start=dt.date(2020, 1, 1),
        end=dt.date(2025, 12, 31),
    )
    Tenure.objects.create(
        cadre=cadre, unit=county["county"], level="county", post="副县长", start=dt.date(2026, 1, 1)
    )
    units = OrgUnit.objects.subtree(county["county"])
    assert "新任副县长" not in by_name(coverage(units, on=dt.date(2025, 6, 1)))
    assert "新任副县长" in by_name(coverage(units, on=ON))


def test_coverage_reads_with_a_fixed_number_of_queries(county, django_assert_max_num_queries):
    for i in range(12):
        cadre = CadreFactory(unit=county["county"], level="county")
        point(cadre, "village", county["village"])
        point(cadre, "household", f"困难户{i}")
    with django_assert_max_num_queries(9):
        report = coverage(OrgUnit.objects.all(), on=ON)
        assert sum(len(h.points) for h in report.cadres) == 24


@pytest.fixture
def actor(county):
    return staff_user("zuzhibu", county["county"], "personnel")


def test_a_change_within_three_years_needs_a_reason(county, actor):
    cadre = CadreFactory(unit=county["county"], level="county")
    old = point(cadre, "village", county["village"])
    other = OrgUnitFactory(code="350901-1-2", name="下洋村", level="village", parent=county["town"])
    with pytest.raises(ContactError) as refused:
        change_contact_point(point=old, new_unit=other, on=ON, reason="  ", actor=actor)
    assert str(refused.value) == (
        "联系点原则上三年不变（001 §三）：本联系点建立于2025-01-01，"
        "2028-01-01之前调整必须填写调整原因。"
    )
    assert ContactPoint.objects.get(pk=old.pk).end is None
    new = change_contact_point(
        point=old, new_unit=other, on=ON, reason="原联系村已撤并", actor=actor
    )
    old.refresh_from_db()
    assert old.end == ON and new.start == ON and new.unit == other and new.cadre == cadre
    assert new.change_reason == "原联系村已撤并"
    assert list(ContactPoint.objects.current(ON).filter(cadre=cadre)) == [new]
    audit = ContactPoint.history.filter(id__in=[old.pk, new.pk], history_type="~")
    ended = audit.get()
    assert (ended.history_user, ended.history_change_reason, ended.end) == (
        actor,
        "原联系村已撤并",
        ON,
    )
    assert new.history.get().history_user == actor


def test_after_three_years_a_change_needs_no_reason(county, actor):
    cadre = CadreFactory(unit=county["county"], level="county")
    old = point(cadre, "household", "困难户甲")
    assert contacts.kept_until(old) == dt.date(2028, 1, 1)
    new = change_contact_point(
        point=old, new_household="困难户乙", on=dt.date(2028, 1, 1), reason="", actor=actor
    )
    assert new.household == "困难户乙" and new.change_reason == ""


def test_a_change_must_name_a_fitting_new_target(county, actor):
    cadre = CadreFactory(unit=county["county"], level="county")
    old = point(cadre, "village", county["village"])
    cases = [
        ({"new_unit": county["town"]}, "“清溪县城关镇”不是村(社区)，不能作为此类联系点。"),
        ({"new_unit": county["village"]}, "新的联系对象与原联系点相同。"),
        ({"new_unit": None}, "请选择联系单位。"),
        (
            {"new_unit": county["village"], "on": dt.date(2024, 1, 1)},
            "调整日期不能早于联系点建立日期2025-01-01。",
        ),
    ]
    for kwargs, message in cases:
        with pytest.raises(ContactError, match=re.escape(message)):
            change_contact_point(
                point=old, **{"on": ON, "reason": "调整", "actor": actor, **kwargs}
            )
    old.end = ON
    old.save()
    with pytest.raises(ContactError, match="该联系点已于2026-06-30结束"):
        change_contact_point(point=old, new_unit=county["village"], on=ON, reason="x", actor=actor)


def test_establish_pairs_an_organ_with_a_village_only(county, actor):
    organ = county["organ"]
    with pytest.raises(ContactError, match="机关单位结对帮扶的对象只能是村"):
        contacts.establish_contact_point(
            organ=organ, kind="enterprise", unit=county["enterprise"], on=ON, actor=actor
        )
    made = contacts.establish_contact_point(
        organ=organ, kind="village", unit=county["village"], on=ON, actor=actor
    )
    assert made.organ == organ and made.history.get().history_user == actor
    with pytest.raises(ContactError, match="该联系点已存在"):
        contacts.establish_contact_point(
            organ=organ, kind="village", unit=county["village"], on=ON, actor=actor
        )
