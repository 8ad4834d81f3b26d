"""The signed-in user's roles, for templates that show each role its own pages (SPEC §1)."""

from evaluations.org.models import StaffProfile


def staff_roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"staff_roles": set()}
    if user.is_superuser:
        return {"staff_roles": set(StaffProfile.Role.values)}
    profile = getattr(user, "staff_profile", None)
    return {"staff_roles": profile.roles() if profile else set()}
