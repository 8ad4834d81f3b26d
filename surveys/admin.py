from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from surveys import services
from surveys.errors import SurveyError
from surveys.models import (
    Choice,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    RatingLink,
    Response,
)


class FrozenAwareInline(admin.TabularInline):
    extra = 0

    def _frozen(self, obj):
        return obj is not None and obj.is_frozen

    def has_add_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


class QuestionInline(FrozenAwareInline):
    model = Question
    fields = ["position", "code", "text", "text_en", "kind", "required", "is_rating"]
    show_change_link = True


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.version.is_frozen

    has_add_permission = has_delete_permission = has_change_permission


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["code", "title"]


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(admin.ModelAdmin):
    list_display = ["questionnaire", "number", "status", "published_at"]
    list_filter = ["status", "questionnaire"]
    inlines = [QuestionInline]
    actions = ["publish", "copy_to_new_draft"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_frozen:
            return ["questionnaire", "number", "status", "intro", "intro_en", "published_at"]
        return ["status", "published_at"]

    @admin.action(description=_("发布所选草稿"))
    def publish(self, request, queryset):
        for version in queryset:
            try:
                services.publish(version=version)
            except SurveyError as error:
                self.message_user(request, f"{version}: {error}", messages.ERROR)

    @admin.action(description=_("复制为新版本草稿"))
    def copy_to_new_draft(self, request, queryset):
        for version in queryset:
            draft = services.new_draft(from_version=version)
            self.message_user(request, _("已创建 %(v)s") % {"v": draft})


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "version", "kind", "required"]
    inlines = [ChoiceInline]

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.version.is_frozen


@admin.register(RatingLink)
class RatingLinkAdmin(admin.ModelAdmin):
    list_display = ["title", "token", "questionnaire", "valid_from", "valid_until", "is_enabled"]
    search_fields = ["title", "token"]
    readonly_fields = ["token", "created_at"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["link", "submitted_at", "review", "flags"]
    list_filter = ["review"]
    readonly_fields = [f.name for f in Response._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
