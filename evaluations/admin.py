from django.contrib import admin

from evaluations.models import Cadre, OrgUnit, StaffProfile, Visit


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
