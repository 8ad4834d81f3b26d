"""The shipped policy rule sets, as data (SPEC §3). Loaded by migration 0003 and corrected to the
seeds' wording by migration 0009 (post categories, the bodies named, Sichuan's duties);
editable in the admin afterwards. Every row cites its source seed and the seed's own words.
Its texts are marked for translation: stored in Chinese, read in the reader's language while
nobody has edited them (issue 18 §8, `shipped`)."""

from django.utils.translation import gettext_noop as _

from surveys import notes

R, CITY, COUNTY, TOWN = "provincial", "city", "county", "township"
RESEARCH_KINDS = ["research", "residence"]  # 驻村蹲点 is 蹲点调研: research days count too
# 001 §一 "党政领导干部": members of the 党政领导班子 only, not 人大/政协 nor department leaders.
PARTY_GOV = ["party_gov"]
# 001 §二、§三 "省级/市、县级领导干部": the leaders of a province, city or county (四套班子),
# not the heads of its departments whatever their rank.
AREA_LEADERS = ["party_gov", "congress_cppcc"]
# 001 §二: 省市县部门单位党组(党委) — the departments of a province, city or county only.
SEATS = ["province", "city", "county"]

FIELD_DEFAULTS = {
    "subject": "cadre",
    "cadre_levels": [],
    "post_categories": [],
    "requires_principal": False,
    "requires_standing_committee": False,
    "unit_levels": [],
    "seat_levels": [],
    "visit_kinds": [],
    "measure": "count",
    "period": "year",
    "minimum": None,
}


def rule(code: str, label: str, source: str, **fields) -> dict:
    unknown = set(fields) - set(FIELD_DEFAULTS)
    assert not unknown, unknown
    return {"code": code, "label": label, "source": source, **FIELD_DEFAULTS, **fields}


def contact(levels, kind, minimum, source, **fields) -> dict:
    base = {"post_categories": [], "requires_standing_committee": False}
    return {"cadre_levels": levels, "kind": kind, "minimum": minimum, "source": source} | (
        base | fields
    )


def _petition(code, label, levels, period, minimum, **fields):
    return rule(
        code,
        label,
        _("001 §一"),
        cadre_levels=levels,
        visit_kinds=["petition"],
        period=period,
        minimum=minimum,
        **fields,
    )


FUJIAN_2013 = {
    "code": "fujian-2013",
    "name": _("福建省推进领导干部“四下基层”工作(2013)"),
    "source": _("中共福建省委关于推进领导干部“四下基层”工作的意见（闽委发〔2013〕4号，seed 001）"),
    "is_default": True,
    "case_deadline_days": 30,
    "case_deadline_months": 1,
    "rules": [
        _petition(
            "petition-provincial",
            _("省级党政领导干部每年至少安排一次到基层接访群众"),
            [R],
            "year",
            1,
            post_categories=PARTY_GOV,
        ),
        _petition(
            "petition-city",
            _("设区的市党政领导干部每季度至少安排一次接访群众"),
            [CITY],
            "quarter",
            1,
            post_categories=PARTY_GOV,
        ),
        _petition(
            "petition-county",
            _("县(市、区)党政领导干部每月至少安排一次接访群众"),
            [COUNTY],
            "month",
            1,
            post_categories=PARTY_GOV,
        ),
        _petition(
            "petition-township",
            _("乡镇(街道)领导干部随时接待群众来访"),
            [TOWN],
            "year",
            None,
            post_categories=["township"],
        ),
        _petition(
            "petition-department",
            _("省市县有关部门领导干部要结合工作实际定期接待群众来访"),
            [],
            "year",
            None,
            post_categories=["department"],
        ),
        rule(
            "rota-weekly",
            _("市、县(区)要保证每周均有一名常委或副市、县(区)长接访群众"),
            _("001 §一"),
            subject="rota",
            cadre_levels=[CITY, COUNTY],
            unit_levels=[CITY, COUNTY],
            visit_kinds=["petition"],
            period="week",
            minimum=1,
        ),
        rule(
            "onsite-provincial",
            _("省级领导干部每年至少安排一次到基层现场办公"),
            _("001 §二"),
            cadre_levels=[R],
            post_categories=AREA_LEADERS,
            visit_kinds=["onsite"],
            minimum=1,
        ),
        rule(
            "onsite-city",
            _("市级领导干部每季度至少安排一次到基层现场办公"),
            _("001 §二"),
            cadre_levels=[CITY],
            post_categories=AREA_LEADERS,
            visit_kinds=["onsite"],
            period="quarter",
            minimum=1,
        ),
        rule(
            "research-provincial",
            _("省级领导干部到基层调研每年不少于1个月"),
            _("001 §三"),
            cadre_levels=[R],
            post_categories=AREA_LEADERS,
            visit_kinds=RESEARCH_KINDS,
            measure="days",
            minimum=30,
        ),
        rule(
            "research-city",
            _("市级领导干部到基层调研每年不少于2个月"),
            _("001 §三"),
            cadre_levels=[CITY],
            post_categories=AREA_LEADERS,
            visit_kinds=RESEARCH_KINDS,
            measure="days",
            minimum=60,
        ),
        rule(
            "research-county",
            _("县级领导干部到基层调研每年不少于2个月"),
            _("001 §三"),
            cadre_levels=[COUNTY],
            post_categories=AREA_LEADERS,
            visit_kinds=RESEARCH_KINDS,
            measure="days",
            minimum=60,
        ),
        rule(
            "publicity-principal",
            _(
                "各级党政主要领导干部和部门单位主要负责人每年至少一次为基层单位或本部门本单位"
                "上党课、作形势报告或专题讲座"
            ),
            _("001 §四"),
            requires_principal=True,
            visit_kinds=["publicity"],
            minimum=1,
        ),
        rule(
            "study-county-committee",
            _("县(市、区)委常委会每月要专题研究一次基层和群众反映的突出问题"),
            _("001 §二"),
            subject="unit",
            unit_levels=[COUNTY],
            period="month",
            minimum=1,
        ),
        rule(
            "study-department",
            _("省市县部门单位党组(党委)每月要专题研究一次基层和群众反映的突出问题"),
            _("001 §二"),
            subject="unit",
            unit_levels=["organ"],
            seat_levels=SEATS,
            period="month",
            minimum=1,
        ),
    ],
    "contacts": [
        contact(
            [R, CITY],
            "county",
            1,
            _("001 §三: 省、市级领导干部每人联系1个县(市、区)"),
            post_categories=AREA_LEADERS,
        ),
        contact(
            [R, CITY],
            "village",
            1,
            _("001 §三: 结对帮扶1个村(社区)"),
            post_categories=AREA_LEADERS,
        ),
        contact(
            [R, CITY],
            "enterprise",
            1,
            _("001 §三: 挂钩1个企业(项目)"),
            post_categories=AREA_LEADERS,
        ),
        contact(
            [R, CITY],
            "household",
            1,
            _("001 §三: 帮扶1户以上贫困户"),
            post_categories=AREA_LEADERS,
        ),
        contact(
            [COUNTY],
            "township",
            1,
            _("001 §三: 县级领导干部每人联系1个乡镇(街道)"),
            post_categories=AREA_LEADERS,
        ),
        contact(
            [COUNTY], "village", 1, _("001 §三: 结对帮扶1个村(社区)"), post_categories=AREA_LEADERS
        ),
        contact(
            [COUNTY],
            "enterprise",
            1,
            _("001 §三: 挂钩1个企业(项目)"),
            post_categories=AREA_LEADERS,
        ),
        contact(
            [COUNTY], "household", 1, _("001 §三: 帮扶1户以上贫困户"), post_categories=AREA_LEADERS
        ),
        contact(["organ"], "village", 1, _("001 §三: 县级以上机关单位要结对帮扶1个以上村(社区)")),
    ],
}

SICHUAN_2017 = {
    "code": "sichuan-2017",
    "name": _("四川省市县党委常委会委员基层调研(2017)"),
    "source": _("四川省委办公厅《市县党委工作运行规则》，据四川日报2017-01-19报道（seed 003）"),
    "is_default": False,
    "case_deadline_days": 30,
    "case_deadline_months": 1,
    "rules": [
        rule(
            "research-city-committee",
            _("市(州)常委会委员每年到基层调查研究不少于90天"),
            "003",
            cadre_levels=[CITY],
            requires_standing_committee=True,
            visit_kinds=RESEARCH_KINDS,
            measure="days",
            minimum=90,
        ),
        rule(
            "research-county-committee",
            _("县(市、区)常委会委员应当安排更多时间在基层指导工作"),
            "003",
            cadre_levels=[COUNTY],
            requires_standing_committee=True,
            visit_kinds=RESEARCH_KINDS,
            measure="days",
        ),
        rule(
            "petition-committee",
            _("常委会委员应当带头落实领导干部定期下访接访制度"),
            "003",
            cadre_levels=[CITY, COUNTY],
            requires_standing_committee=True,
            visit_kinds=["petition"],
        ),
    ],
    "contacts": [
        contact(
            [CITY, COUNTY],
            "township",
            1,
            _(
                "003: 常委会委员应当带头落实市县领导联系指导乡镇(街道)工作制度，"
                "定期到联系点开展工作"
            ),
            requires_standing_committee=True,
        ),
        contact(
            [CITY, COUNTY],
            "village",
            1,
            _("003: 常委会委员应当带头落实市县领导联系指导村(社区)工作制度，定期到联系点开展工作"),
            requires_standing_committee=True,
        ),
    ],
}

SHIPPED = [FUJIAN_2013, SICHUAN_2017]
TEXTS = frozenset(
    [spec[k] for spec in SHIPPED for k in ("name", "source")]
    + [row[k] for spec in SHIPPED for row in spec["rules"] for k in ("label", "source")]
    + [row["source"] for spec in SHIPPED for row in spec["contacts"]]
)


def shipped(text: str):
    """A text this module ships, in the reader's language; one an administrator edited, as is."""
    return notes.shipped(text, TEXTS)


RULESET_FIELDS = ("name", "source", "is_default", "case_deadline_days", "case_deadline_months")


def _known(model, values: dict) -> dict:
    """The values a (possibly historical) model has fields for: migration 0003 runs this with
    the models of its day, before the fields that later migrations add."""
    names = {f.name for f in model._meta.get_fields()}
    return {k: v for k, v in values.items() if k in names}


def install(models, spec: dict):
    """Create rule set `spec` unless it exists (`models`: real or historical classes)."""
    RuleSet, Rule, Contact = (
        models[n] for n in ("PolicyRuleSet", "QuotaRule", "ContactRequirement")
    )
    defaults = _known(RuleSet, {k: spec[k] for k in RULESET_FIELDS})
    ruleset, created = RuleSet.objects.get_or_create(code=spec["code"], defaults=defaults)
    if not created:
        return ruleset
    for row in spec["rules"]:
        Rule.objects.create(ruleset=ruleset, **_known(Rule, row))
    for row in spec["contacts"]:
        Contact.objects.create(ruleset=ruleset, **_known(Contact, row))
    return ruleset
