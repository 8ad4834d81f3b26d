"""Roles of SPEC §1 are Django groups with model permissions, set up by migrate."""

import pytest
from django.contrib.auth.models import Group

from evaluations.org.roles import ROLE_PERMISSIONS, sync_roles
from tests.factories import staff_user

pytestmark = pytest.mark.django_db


def test_migrate_creates_every_role_group_with_permissions():
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLE_PERMISSIONS)
    for role, spec in ROLE_PERMISSIONS.items():
        # A grid worker (网格员) only helps residents on their rating page: no admin rights.
        assert Group.objects.get(name=role).permissions.exists() == bool(spec), role


def test_each_role_may_do_its_own_work_only(world):
    _, _, counties = world
    unit = counties["350901"]["county"]
    officer = staff_user("officer", unit, "personnel")
    cadre = staff_user("cadre", unit, "cadre")
    inspector = staff_user("inspector", unit, "discipline")
    assert officer.has_perm("evaluations.change_policyruleset")
    assert officer.has_perm("surveys.view_response") and not officer.has_perm(
        "surveys.change_response"
    )
    assert cadre.has_perm("evaluations.add_visit") and not cadre.has_perm(
        "evaluations.view_policyruleset"
    )
    assert inspector.has_perm("surveys.view_reviewdecision")
    assert not inspector.has_perm("evaluations.change_assessmentdecision")


def test_sync_is_idempotent_and_restores_a_removed_permission():
    group = Group.objects.get(name="personnel")
    before = set(group.permissions.values_list("codename", flat=True))
    group.permissions.clear()
    sync_roles()
    sync_roles()
    assert set(group.permissions.values_list("codename", flat=True)) == before
