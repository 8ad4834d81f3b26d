from evaluations.models.appraisal import (
    AppraisalLog,
    AppraisalSession,
    AppraisalSubject,
    RaterGroup,
)
from evaluations.models.assessment import (
    AssessmentCycle,
    AssessmentDecision,
    CapRule,
    Grade,
    TeamGrade,
)
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
    governing_table,
    ruleset_for,
    ruleset_ids_for,
)
from evaluations.models.visits import Visit

__all__ = [
    "AppraisalLog",
    "AppraisalSession",
    "AppraisalSubject",
    "AssessmentCycle",
    "AssessmentDecision",
    "Cadre",
    "CapRule",
    "Case",
    "CaseEvent",
    "ContactPoint",
    "ContactRequirement",
    "Grade",
    "OrgUnit",
    "Period",
    "PolicyRuleSet",
    "QuotaRule",
    "RaterGroup",
    "RuleSetAssignment",
    "StaffProfile",
    "TeamGrade",
    "Tenure",
    "UnitMeeting",
    "Visit",
    "governing_table",
    "ruleset_for",
    "ruleset_ids_for",
]
