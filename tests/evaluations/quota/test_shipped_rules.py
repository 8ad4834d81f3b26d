"""Migration 0009 corrects the shipped rule sets installed by 0003 and its reverse takes back
what it added (issue 13, point 1), run here with the current models."""

import importlib

import pytest
from django.apps import apps

from evaluations.models import ContactRequirement, QuotaRule
from evaluations.quota import policy_data

pytestmark = pytest.mark.django_db
correction = importlib.import_module("evaluations.migrations.0009_correct_shipped_rulesets")


def as_shipped_in_0003():
    """The rows as migration 0003 left them before this issue: no categories, no seats, no
    Sichuan duties, no organ row, deadlines in days."""
    correction.uncorrect(apps, None)
    QuotaRule.objects.update(post_categories=[], seat_levels=[])
    ContactRequirement.objects.update(post_categories=[], requires_standing_committee=False)


def shipped_rows():
    rules = QuotaRule.objects.filter(ruleset__code__in=["fujian-2013", "sichuan-2017"])
    contacts = ContactRequirement.objects.filter(ruleset__code__in=["fujian-2013", "sichuan-2017"])
    return (
        sorted(rules.values_list("ruleset__code", "code", "label", "minimum")),
        sorted((c.ruleset.code, c.kind, c.cadre_levels, c.minimum) for c in contacts),
    )


def test_the_correction_gives_every_shipped_row_the_seeds_wording():
    as_shipped_in_0003()
    assert QuotaRule.objects.count() == 15 and ContactRequirement.objects.count() == 8
    correction.correct(apps, None)
    for spec in policy_data.SHIPPED:
        for row in spec["rules"]:
            stored = QuotaRule.objects.get(ruleset__code=spec["code"], code=row["code"])
            assert stored.post_categories == row["post_categories"]
            assert stored.seat_levels == row["seat_levels"]
    sichuan = ContactRequirement.objects.filter(ruleset__code="sichuan-2017")
    assert {c.kind for c in sichuan} == {"township", "village"}
    assert all(c.requires_standing_committee for c in sichuan)


def test_the_reverse_takes_back_what_it_added_and_forward_again_is_the_same():
    corrected = shipped_rows()
    correction.uncorrect(apps, None)
    assert not QuotaRule.objects.filter(code__in=["petition-department", "petition-committee"])
    assert not ContactRequirement.objects.filter(ruleset__code="sichuan-2017").exists()
    correction.correct(apps, None)
    assert shipped_rows() == corrected
