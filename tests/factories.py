"""Factories and personas shared by the tests."""

import datetime as dt

import factory
from django.contrib.auth.models import Group, User
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from evaluations.models import Cadre, OrgUnit, StaffProfile, Visit
from surveys import defaults
from surveys.models import Questionnaire, RatingLink


def default_questionnaire() -> Questionnaire:
    shipped = [spec["code"] for spec in defaults.SHIPPED]
    if Questionnaire.objects.filter(code__in=shipped).count() < len(shipped):
        _reinstall_shipped()
    return Questionnaire.objects.get(code="default")


def _reinstall_shipped() -> None:
    """A transactional test's flush removed what migration 0002 ships: put it back as the
    migration does, with historical models (the real ones refuse to edit a published version)."""
    loader = MigrationLoader(connection)
    apps = loader.project_state(loader.graph.leaf_nodes("surveys")).apps
    names = ("Questionnaire", "QuestionnaireVersion", "Question", "Choice")
    models = {name: apps.get_model("surveys", name) for name in names}
    for spec in defaults.SHIPPED:
        defaults.install(models, spec, publish_at=timezone.now())


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"单位{n}")
    level = OrgUnit.Level.COUNTY


class CadreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cadre

    code = factory.Sequence(lambda n: f"C{n:05d}")
    name = factory.Sequence(lambda n: f"干部{n}")
    unit = factory.SubFactory(OrgUnitFactory)
    level = Cadre.Level.COUNTY
    post = "副县长"


class RatingLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RatingLink

    title = "测试评价"
    questionnaire = factory.LazyFunction(default_questionnaire)
    valid_from = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    valid_until = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    kind = Visit.Kind.RESEARCH
    lead = factory.SubFactory(CadreFactory)
    target_unit = factory.SelfAttribute("lead.unit")
    place = "上坪村村委会"
    start_date = dt.date(2026, 11, 20)
    end_date = dt.date(2026, 11, 20)
    purpose = "调研茶产业发展"
    rating_link = factory.SubFactory(RatingLinkFactory)


def staff_user(username: str, unit: OrgUnit, *roles: str, cadre: Cadre | None = None) -> User:
    user = User.objects.create_user(username, password="pw-for-tests-1")
    for role in roles:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    StaffProfile.objects.create(user=user, unit=unit)
    if cadre is not None:
        cadre.user = user
        cadre.save(update_fields=["user"])
    return user


def two_counties():
    """Personas' world: a province with two counties, each with a township and a village."""
    province = OrgUnitFactory(code="35", name="福建省", level=OrgUnit.Level.PROVINCE)
    city = OrgUnitFactory(code="3509", name="示范市", level=OrgUnit.Level.CITY, parent=province)
    counties = {}
    for code, name in (("350901", "清溪县"), ("350902", "远山县")):
        county = OrgUnitFactory(code=code, name=name, level=OrgUnit.Level.COUNTY, parent=city)
        town = OrgUnitFactory(
            code=f"{code}-1", name=f"{name}城关镇", level=OrgUnit.Level.TOWNSHIP, parent=county
        )
        village = OrgUnitFactory(
            code=f"{code}-1-1", name=f"{name}上坪村", level=OrgUnit.Level.VILLAGE, parent=town
        )
        counties[code] = {"county": county, "town": town, "village": village}
    return province, city, counties
