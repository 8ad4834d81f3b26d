"""Staff pages of the problem ledger (问题台账). Thin: access, form, one service or selector."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluations.cases import forms as case_forms
from evaluations.cases import permissions
from evaluations.cases import selectors as case_selectors
from evaluations.cases import services as cases
from evaluations.models import Case
from evaluations.org.access import READERS, staff_required, year_param
from surveys import listing

CASE_READERS = ("cadre", *READERS)  # a cadre reads the cases raised with or owned by him


def _list(request, *, overdue: bool, title: str):
    cases = case_selectors.ledger(request.user, overdue=overdue)
    spec = case_selectors.OVERDUE_LIST if overdue else case_selectors.CASE_LIST
    found = listing.apply(request, cases, spec)
    if request.GET.get("format") == "xlsx":
        return listing.xlsx_response(request, found, case_selectors.CASE_COLUMNS, title=title)
    context = {"page": found.page, "listing": found, "title": title, "overdue": overdue}
    context["today"] = timezone.localdate()
    return render(request, "evaluations/cases/ledger.html", context)


@staff_required(*CASE_READERS)
def ledger(request):
    return _list(request, overdue=False, title=_("问题台账"))


@staff_required(*CASE_READERS)
def overdue(request):
    return _list(request, overdue=True, title=_("超期未办结问题"))


def _visible_case(request, pk) -> Case:
    try:
        return case_selectors.case_for(request.user, pk)
    except Case.DoesNotExist:
        raise Http404 from None


def _detail(request, case, forms=None, status=200):
    cadre = getattr(request.user, "cadre", None)
    context = {
        "case": case,
        "events": case_selectors.history(case),
        "actions": case_forms.action_forms(case, request.user, bound=forms),
        "overdue": cases.is_overdue(case, timezone.localdate()),
        # The leader in charge and the cadre who received it call back; others see it masked.
        "contact_visible": cadre is not None
        and cadre.pk in (case.responsible_id, case.raised_with_id),
    }
    return render(request, "evaluations/cases/detail.html", context, status=status)


@staff_required(*CASE_READERS)
def detail(request, pk):
    return _detail(request, _visible_case(request, pk))


@staff_required(*CASE_READERS)
@require_POST
def act(request, pk, action):
    case = _visible_case(request, pk)
    if action not in case_forms.ACTION_FORMS:
        raise Http404
    refused = permissions.refusal(request.user, case, action)
    if refused is not None:
        raise PermissionDenied(permissions.MESSAGES[refused])
    form = case_forms.ACTION_FORMS[action](request.POST, case=case, user=request.user)
    if not form.is_valid():
        return _detail(request, case, {action: form}, status=400)
    try:
        form.perform(actor=request.user)
    except cases.CaseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已%(action)s。") % {"action": cases.ACTION_LABELS[action]})
    return redirect("staff:case_detail", pk=case.pk)


@staff_required("cadre")
def raise_case(request):
    visit = request.GET.get("visit")
    form = case_forms.RaiseCaseForm(
        request.POST or None,
        user=request.user,
        initial={"visit": visit, "raised_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = cases.raise_case(
                cadre=getattr(request.user, "cadre", None), actor=request.user, **data
            )
        except cases.CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("问题已登记。请把办理评价二维码交给反映问题的群众。"))
            return redirect("staff:case_detail", pk=case.pk)
    return render(request, "evaluations/cases/raise.html", {"form": form})


@staff_required(*READERS)
def metrics(request):
    year = year_param(request.GET.get("year"), timezone.localdate().year)
    table = case_selectors.metrics_table(request.user, year=year)
    days = case_selectors.receptions(request.user, year=year)[:200]
    context = {**table, "year": year, "receptions": days}
    return render(request, "evaluations/cases/metrics.html", context)
