"""Contact-point pages (联系点, 001 §三): the coverage report (who lacks what), changing a point
and establishing one. Thin: access, form, one service or selector, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from evaluations.contacts import services as contacts
from evaluations.contacts.forms import ChangeForm, CoverageForm, EstablishForm
from evaluations.models import Cadre, ContactPoint, OrgUnit
from evaluations.org.access import staff_required
from evaluations.org.jurisdiction import has_role

READERS = ("personnel", "discipline", "admin")
MANAGERS = ("personnel", "admin")


def _require(request, roles):
    if not has_role(request.user, *roles):
        raise PermissionDenied(_("只有组织人事部门可以使用此页面。"))


@staff_required(*READERS)
def coverage(request):
    _require(request, READERS)
    units = OrgUnit.objects.visible_to(request.user)
    form = CoverageForm(request.GET or None, units=units)
    code, on, only_lacking = form.scope()
    scope = units.subtree(get_object_or_404(units, code=code)) if code else units
    report = contacts.coverage(scope, on=on)
    context = {
        "form": form,
        "report": report,
        "cadres": [h for h in report.cadres if h.lacking or not only_lacking],
        "organs": [h for h in report.organs if h.lacking or not only_lacking],
        "can_manage": has_role(request.user, *MANAGERS),
    }
    return render(request, "evaluations/contacts/coverage.html", context)


@staff_required(*MANAGERS)
def change(request, pk):
    _require(request, MANAGERS)
    points = ContactPoint.objects.visible_to(request.user).select_related("cadre", "organ", "unit")
    point = get_object_or_404(points, pk=pk)
    units = OrgUnit.objects.visible_to(request.user)
    form = ChangeForm(request.POST or None, point=point, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            contacts.change_contact_point(point=point, actor=request.user, **form.cleaned_data)
        except contacts.ContactError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("联系点已调整，调整原因已记录。"))
            return redirect("staff:contacts")
    context = {"form": form, "point": point, "kept_until": contacts.kept_until(point)}
    return render(request, "evaluations/contacts/change.html", context)


def _owner(request, units) -> dict:
    """{"cadre": ...} or {"organ": ...} from the query string, inside the jurisdiction."""
    for key, found in (
        ("organ", units.filter(level=OrgUnit.Level.ORGAN)),
        ("cadre", Cadre.objects.visible_to(request.user)),
    ):
        pk = request.GET.get(key, "")
        if pk.isdigit():
            return {key: get_object_or_404(found, pk=pk)}
    raise Http404


@staff_required(*MANAGERS)
def establish(request):
    _require(request, MANAGERS)
    units = OrgUnit.objects.visible_to(request.user)
    owner = _owner(request, units)
    form = EstablishForm(request.POST or None, units=units, organ="organ" in owner)
    if request.method == "POST" and form.is_valid():
        try:
            contacts.establish_contact_point(actor=request.user, **owner, **form.cleaned_data)
        except contacts.ContactError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("联系点已建立。"))
            return redirect("staff:contacts")
    context = {"form": form, "owner": next(iter(owner.values()))}
    return render(request, "evaluations/contacts/establish.html", context)
