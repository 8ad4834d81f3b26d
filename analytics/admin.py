from django.contrib import admin

from analytics.assessment.models import AssessmentResult, AssessmentRun


class ReadOnlyAdmin(admin.ModelAdmin):
    """Runs and results are computed; they are read here, never edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AssessmentResultInline(admin.TabularInline):
    model = AssessmentResult
    extra = 0
    fields = [
        "cadre",
        "composite",
        "suggested_grade",
        "satisfaction",
        "appraisal",
        "compliance",
        "cases",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AssessmentRun)
class AssessmentRunAdmin(ReadOnlyAdmin):
    list_display = ["cycle", "status", "created_at", "finished_at", "fingerprint"]
    inlines = [AssessmentResultInline]
