"""Who may open a staff page (SPEC §1): one decorator every staff view wears. Default deny: a
signed-in account needs a unit and one of the page's roles; what it then sees is narrowed by
`visible_to(user)` (evaluations/org/jurisdiction.py)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from evaluations.org.jurisdiction import has_role

# The role groups of SPEC §1 that pages name; "admin" is the administrator role of a unit.
EVERY_ROLE = ("cadre", "secretary", "personnel", "discipline", "admin", "grid")
READERS = ("personnel", "discipline", "admin")  # reports, compliance, case metrics, review
MANAGERS = ("personnel", "admin")  # assessment, roster, contact points, meetings, caps

MESSAGES = {
    "no_unit": _("您的账号还没有所属单位，暂时不能使用工作台。请联系管理员设置所属单位。"),
    "no_role": _("您的账号还没有分配角色，暂时不能使用工作台。请联系管理员分配角色。"),
    "wrong_role": _("您的角色不能使用此页面。"),
}


# The years a report, export or cycle may be asked for; anything else is no such page. From
# 1988, the year of the Xiapu reception day the 四下基层 practice dates from (seed 004).
YEARS = range(1988, 2101)


def year_param(value, default: int | None = None) -> int:
    """A year from a query string or form (empty: `default`); Http404 when it is no year."""
    if value in (None, "") and default is not None:
        return default
    try:
        year = int(str(value).strip())
    except ValueError:
        raise Http404 from None
    if year not in YEARS:
        raise Http404
    return year


def refusal(user, roles) -> str | None:
    """Why this user may not open a page for these roles, or None."""
    if user.is_superuser:
        return None
    profile = getattr(user, "staff_profile", None)
    if profile is None:
        return "no_unit"
    if not profile.roles():
        return "no_role"
    if not has_role(user, *roles):
        return "wrong_role"
    return None


def refuse(request, reason: str, message: str = ""):
    context = {"reason": reason, "message": message or MESSAGES[reason]}
    return render(request, "evaluations/no_access.html", context, status=403)


def staff_required(*roles: str):
    """A staff page for these roles (all roles when none are named)."""
    roles = roles or EVERY_ROLE

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            reason = refusal(request.user, roles)
            try:
                response = refuse(request, reason) if reason else view(request, *args, **kwargs)
            except PermissionDenied as error:
                response = refuse(request, "wrong_role", str(error))
            # Staff pages and exports carry names and scores: no shared or browser cache keeps them.
            add_never_cache_headers(response)
            return response

        return wrapper

    return decorator
