"""Every admin page of our models opens for an administrator (Chinese names, no 500)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from evaluations import demo

pytestmark = pytest.mark.django_db

OUR_APPS = {"surveys", "evaluations", "analytics"}


@pytest.fixture
def admin_client(client, django_user_model, questionnaire):
    demo.seed()
    client.force_login(django_user_model.objects.get(username="admin"))
    return client


def test_every_changelist_and_change_page_opens(admin_client):
    opened = 0
    for model, _model_admin in admin.site._registry.items():
        meta = model._meta
        if meta.app_label not in OUR_APPS:
            continue
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        page = admin_client.get(changelist)
        assert page.status_code == 200, changelist
        first = model.objects.order_by("pk").first()
        if first is not None:
            change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
            assert admin_client.get(change).status_code == 200, change
        opened += 1
    assert opened >= 15
    assert "问卷版本" in admin_client.get("/admin/").content.decode()


@pytest.mark.django_db
def test_the_admin_is_closed_to_staff_who_are_not_superusers(client, world):
    """Issue 14 §4. Scenario: a personnel account with staff access read every county's rows in
    the admin and moved another county's unit into its own subtree."""
    from evaluations.models import OrgUnit
    from tests.factories import staff_user

    _, _, counties = world
    officer = staff_user("officer", counties["350901"]["county"], "personnel")
    officer.is_staff = True
    officer.save()
    client.force_login(officer)
    far = counties["350902"]["town"]
    for url in (
        "/admin/",
        "/admin/evaluations/orgunit/",
        f"/admin/evaluations/orgunit/{far.pk}/change/",
    ):
        page = client.get(url)
        assert page.status_code == 302 and "/admin/login/" in page["Location"], url
    client.post(
        f"/admin/evaluations/orgunit/{far.pk}/change/",
        {
            "code": far.code,
            "name": far.name,
            "level": far.level,
            "parent": counties["350901"]["county"].pk,
        },
    )
    assert OrgUnit.objects.get(pk=far.pk).parent == counties["350902"]["county"]
