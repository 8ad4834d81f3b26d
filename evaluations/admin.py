from contextlib import suppress

from django.contrib import admin
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from evaluations.appraisal import services as appraisal_services
from evaluations.models import (
    AppraisalLog,
    AppraisalSession,
    AppraisalSubject,
    Cadre,
    Case,
    CaseEvent,
    ContactPoint,
    ContactRequirement,
    OrgUnit,
    PolicyRuleSet,
    QuotaRule,
    RaterGroup,
    RuleSetAssignment,
    StaffProfile,
    Tenure,
    UnitMeeting,
    Visit,
    VisitAmendment,
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
        "post_category",
        "is_principal",
        "is_standing_committee",
    ]
    list_filter = ["level", "post_category", "is_principal", "is_standing_committee"]
    search_fields = ["code", "name", "post"]
    autocomplete_fields = ["unit"]


class VisitAmendmentInline(admin.TabularInline):
    """Corrections of a done visit: read here, made only through the visit's own page."""

    model = VisitAmendment
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "reason", "changes"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    """A done visit's dates, hours and companions change only by an amendment on its page."""

    inlines = [VisitAmendmentInline]
    list_display = ["start_date", "kind", "lead", "target_unit", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["lead__name", "purpose"]
    autocomplete_fields = ["lead", "target_unit"]
    filter_horizontal = ["companions"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status == Visit.Status.DONE:
            return ["start_date", "end_date", "hours", "companions", "status"]
        return []


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
        "post_categories",
        "requires_principal",
        "requires_standing_committee",
        "unit_levels",
        "seat_levels",
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
    list_display = ["code", "name", "is_default", "case_deadline_months", "case_deadline_days"]
    inlines = [QuotaRuleInline, ContactRequirementInline]


@admin.register(RuleSetAssignment)
class RuleSetAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "ruleset", "first_year", "last_year"]
    autocomplete_fields = ["unit"]


@admin.register(Tenure)
class TenureAdmin(admin.ModelAdmin):
    list_display = ["cadre", "post", "post_category", "level", "start", "end"]
    autocomplete_fields = ["cadre", "unit"]


@admin.register(UnitMeeting)
class UnitMeetingAdmin(admin.ModelAdmin):
    list_display = ["unit", "date", "topic"]
    autocomplete_fields = ["unit"]


@admin.register(ContactPoint)
class ContactPointAdmin(SimpleHistoryAdmin):
    list_display = ["cadre", "organ", "kind", "unit", "household", "start", "end", "change_reason"]
    list_filter = ["kind"]
    autocomplete_fields = ["cadre", "organ", "unit"]


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
    # Status moves only through the cases services (staff pages), so each one is in the history.
    readonly_fields = ["status", "rating_link", "response", "contact_consent_at"]


class DraftOnlyInline(admin.TabularInline):
    """Rows of a session change only while it is a draft (`obj` is the parent session)."""

    extra = 0

    def has_add_permission(self, request, obj=None):
        return obj is not None and obj.is_draft and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return obj is not None and obj.is_draft and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return obj is not None and obj.is_draft and super().has_delete_permission(request, obj)


class AppraisalSubjectInline(DraftOnlyInline):
    model = AppraisalSubject
    fields = ["position", "name", "note", "cadre", "is_team", "is_probationary", "final_grade"]
    readonly_fields = ["final_grade"]


class RaterGroupInline(DraftOnlyInline):
    model = RaterGroup


@admin.register(AppraisalSession)
class AppraisalSessionAdmin(admin.ModelAdmin):
    """Sessions are run from the staff pages; here they can be read, and changed only as
    drafts. A closed session is read-only (SPEC §5: immutable once closed)."""

    list_display = ["branch", "period", "kind", "created_at", "closed_at"]
    list_filter = ["kind"]
    readonly_fields = ["box", "result", "created_by", "closed_at"]
    inlines = [AppraisalSubjectInline, RaterGroupInline]

    def has_add_permission(self, request):
        return False  # a session needs its ballot box: create it on the staff page

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        session = self.get_object(request, object_id) if object_id else None
        if request.method == "POST" and session is not None:
            # a change to a closed session is refused (403 below) and logged here
            with suppress(appraisal_services.AppraisalError):
                appraisal_services.refuse_if_closed(
                    session, request.user, gettext_lazy("管理后台修改")
                )
        return super().changeform_view(request, object_id, form_url, extra_context)

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.is_draft

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AppraisalLog)
class AppraisalLogAdmin(admin.ModelAdmin):
    list_display = ["at", "session", "action", "actor", "detail"]
    list_filter = ["action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
