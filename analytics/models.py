"""Django finds the app's models here; they live in the assessment package."""

from analytics.assessment.models import AssessmentResult, AssessmentRun

__all__ = ["AssessmentResult", "AssessmentRun"]
