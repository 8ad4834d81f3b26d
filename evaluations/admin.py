from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from evaluations.models import (
    Cadre,
    Case,
    CaseEvent,
    ContactPoint,
    ContactRequirement,
    OrgUnit,
    PolicyRuleSet,
    QuotaRule,
    RuleSetAssignment,
    StaffProfile,
    Tenure,
    UnitMeeting,
    Visit,
)


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    readonly_fields = ["path"]


@admin.register(Cadre)
class CadreAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "unit",
        "level",
        "post",
        "is_principal",
        "is_standing_committee",
    ]
    list_filter = ["level", "is_principal", "is_standing_committee"]
    search_fields = ["code", "name", "post"]
    autocomplete_fields = ["unit"]


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["start_date", "kind", "lead", "target_unit", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["lead__name", "purpose"]
    autocomplete_fields = ["lead", "target_unit"]
    filter_horizontal = ["companions"]


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "unit"]
    autocomplete_fields = ["unit"]


class QuotaRuleInline(admin.TabularInline):
    model = QuotaRule
    extra = 0
    fields = [
        "code",
        "label",
        "subject",
        "cadre_levels",
        "requires_principal",
        "requires_standing_committee",
        "unit_levels",
        "visit_kinds",
        "measure",
        "period",
        "minimum",
        "source",
    ]


class ContactRequirementInline(admin.TabularInline):
    model = ContactRequirement
    extra = 0


@admin.register(PolicyRuleSet)
class PolicyRuleSetAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "is_default", "case_deadline_days"]
    inlines = [QuotaRuleInline, ContactRequirementInline]


@admin.register(RuleSetAssignment)
class RuleSetAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "ruleset", "first_year", "last_year"]
    autocomplete_fields = ["unit"]


@admin.register(Tenure)
class TenureAdmin(admin.ModelAdmin):
    list_display = ["cadre", "post", "level", "start", "end"]
    autocomplete_fields = ["cadre", "unit"]


@admin.register(UnitMeeting)
class UnitMeetingAdmin(admin.ModelAdmin):
    list_display = ["unit", "date", "topic"]
    autocomplete_fields = ["unit"]


@admin.register(ContactPoint)
class ContactPointAdmin(admin.ModelAdmin):
    list_display = ["cadre", "organ", "kind", "unit", "household", "start", "end"]
    list_filter = ["kind"]


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    readonly_fields = ["at", "status", "note", "actor"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "status", "raised_on", "deadline", "responsible"]
    list_filter = ["status", "source"]
    inlines = [CaseEventInline]
    exclude = ["contact_name", "contact_phone"]
