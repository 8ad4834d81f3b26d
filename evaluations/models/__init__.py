from evaluations.models.cases import Case, CaseEvent
from evaluations.models.contacts import ContactPoint
from evaluations.models.org import Cadre, OrgUnit, StaffProfile
from evaluations.models.rules import (
    ContactRequirement,
    Period,
    PolicyRuleSet,
    QuotaRule,
    RuleSetAssignment,
    Tenure,
    UnitMeeting,
    ruleset_for,
)
from evaluations.models.visits import Visit

__all__ = [
    "Cadre",
    "Case",
    "CaseEvent",
    "ContactPoint",
    "ContactRequirement",
    "OrgUnit",
    "Period",
    "PolicyRuleSet",
    "QuotaRule",
    "RuleSetAssignment",
    "StaffProfile",
    "Tenure",
    "UnitMeeting",
    "Visit",
    "ruleset_for",
]
