"""The one place where staff visibility is decided (SPEC §8): a user sees the subtree of the
org unit they belong to; a user who is only a cadre sees their own records. Default deny: an
account without a unit or without any role sees nothing."""

from django.db import models
from django.db.models import Q


def user_scope(user):
    """(unit path or None, cadre or None, sees everything) for a signed-in user."""
    if not user.is_authenticated:
        return None, None, False
    if user.is_superuser:
        return None, None, True
    profile = getattr(user, "staff_profile", None)
    if profile is None or not profile.roles():
        return None, None, False
    if profile.is_cadre_only():
        cadre = getattr(user, "cadre", None)
        return (profile.unit.path if cadre else None), cadre, False
    return profile.unit.path, None, False


class JurisdictionQuerySet(models.QuerySet):
    # Subclasses name the path of the row's org unit and, if any, its owning cadre(s).
    unit_path_lookup = "unit__path"
    own_lookups: tuple[str, ...] = ()
    # Rows with no owner that a cadre still reads across the subtree (the units of a form).
    cadre_sees_subtree = False

    def visible_to(self, user):
        path, own_cadre, everything = user_scope(user)
        if everything:
            return self
        if own_cadre is not None and self.own_lookups:
            own = Q()
            for lookup in self.own_lookups:
                own |= Q(**{lookup: own_cadre.pk})
            return self.filter(own).distinct()
        if path is None or (own_cadre is not None and not self.cadre_sees_subtree):
            return self.none()
        return self.filter(**{f"{self.unit_path_lookup}__startswith": path})


def has_role(user, *roles: str) -> bool:
    """Roles are Django groups named by role code (StaffProfile.Role); superusers have all."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    profile = getattr(user, "staff_profile", None)
    return profile is not None and bool(profile.roles() & set(roles))
