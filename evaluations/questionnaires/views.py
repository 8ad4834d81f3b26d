"""Questionnaire versions on staff pages instead of the admin (SPEC §1: the administrator keeps
the questionnaires): copy a version into a draft, edit the draft, preview it as a phone shows it,
publish it — refused while a rating question has no dissatisfied answer (SPEC §4). Everyone who
reads reports may look; only the administrator role changes anything."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from evaluations.org.access import READERS, staff_required
from evaluations.org.jurisdiction import has_role
from evaluations.questionnaires import selectors
from evaluations.questionnaires.forms import draft_forms
from surveys import services
from surveys.errors import SurveyError
from surveys.forms import ResidentForm
from surveys.models import QuestionnaireVersion

EDITORS = ("admin",)  # SPEC §1: questionnaires are the administrator's


def _editor(request):
    if not has_role(request.user, *EDITORS):
        raise PermissionDenied(_("只有管理员可以修改问卷。"))


@staff_required(*READERS)
def questionnaires(request):
    if request.method == "POST":
        _editor(request)
        chosen = request.POST.get("version", "")
        source = get_object_or_404(QuestionnaireVersion, pk=int(chosen) if chosen.isdigit() else 0)
        draft = services.new_draft(from_version=source)
        messages.success(request, _("已复制为新版本草稿。"))
        return redirect("staff:questionnaire_version", pk=draft.pk)
    context = {
        "questionnaires": selectors.questionnaires(),
        "editor": has_role(request.user, *EDITORS),
    }
    return render(request, "evaluations/questionnaires/list.html", context)


@staff_required(*READERS)
def version(request, pk):
    version = get_object_or_404(QuestionnaireVersion.objects.select_related("questionnaire"), pk=pk)
    editable = not version.is_frozen and has_role(request.user, *EDITORS)
    forms = draft_forms(version, request.POST or None) if editable else None
    if request.method == "POST":
        _editor(request)
        if forms is None:
            raise PermissionDenied(str(SurveyError("frozen")))
        if all(f.is_valid() for f in forms):
            with transaction.atomic():
                for form in forms:
                    form.save()
            messages.success(request, _("草稿已保存（修改记录可追溯）。"))
            return redirect("staff:questionnaire_version", pk=version.pk)
    context = {
        "version": version,
        "questions": version.ordered_questions(),
        "forms": forms,
        "problems": services.publication_problems(version) if not version.is_published else [],
        "editor": has_role(request.user, *EDITORS),
        "history": selectors.version_history(version),
    }
    return render(request, "evaluations/questionnaires/version.html", context)


@require_POST
@staff_required(*EDITORS)
def publish(request, pk):
    version = get_object_or_404(QuestionnaireVersion, pk=pk)
    try:
        services.publish(version=version)
    except SurveyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已发布：新扫码的群众将看到这一版本。"))
    return redirect("staff:questionnaire_version", pk=version.pk)


@require_GET
@staff_required(*READERS)
def preview(request, pk):
    """The resident's page of this version, as a phone shows it; it sends nothing."""
    version = get_object_or_404(QuestionnaireVersion.objects.select_related("questionnaire"), pk=pk)
    form = ResidentForm(version=version, initial={"ticket": ""})
    subject = {
        "heading": _("预览：%(title)s 第 %(n)s 版")
        % {"title": version.questionnaire.shown_title, "n": version.number}
    }
    context = {"form": form, "subject": subject, "preview": version}
    return render(request, "evaluations/questionnaires/preview.html", context)
