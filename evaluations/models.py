"""Django finds the app's models here; each lives in its feature package (org, visits, quota,
contacts, cases, appraisal, cycles, todo)."""

from evaluations.appraisal.models import (
    AppraisalLog,
    AppraisalSession,
    AppraisalSubject,
    RaterGroup,
)
from evaluations.cases.models import Case, CaseEvent
from evaluations.contacts.models import ContactPoint
from evaluations.cycles.models import (
    AssessmentCycle,
    AssessmentDecision,
    CapRule,
    Grade,
    TeamGrade,
)
from evaluations.org.models import Cadre, OrgUnit, StaffProfile, Tenure
from evaluations.planning.models import ResearchPlan, RotaSlot
from evaluations.quota.models import (
    ContactRequirement,
    Period,
    PolicyRuleSet,
    QuotaRule,
    RuleSetAssignment,
    UnitMeeting,
    governing_table,
    ruleset_for,
    ruleset_ids_for,
)
from evaluations.todo.models import Reminder
from evaluations.visits.models import Visit, VisitAmendment

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
    "Reminder",
    "ResearchPlan",
    "RotaSlot",
    "RuleSetAssignment",
    "StaffProfile",
    "TeamGrade",
    "Tenure",
    "UnitMeeting",
    "Visit",
    "VisitAmendment",
    "governing_table",
    "ruleset_for",
    "ruleset_ids_for",
]
