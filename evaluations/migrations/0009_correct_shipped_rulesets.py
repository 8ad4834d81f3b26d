"""Correct the shipped Fujian 2013 and Sichuan 2017 rule sets to the seeds' wording (issue 13):
every rule and contact requirement takes the post categories, bodies and duties of
policy_data; rules and requirements the correction adds are created.

Reversible: the reverse deletes what the correction added (by code; Sichuan's contact
requirements). The values it set live in columns that the reverse of 0008 drops, and no label
or number of an existing row changes, so nothing else needs restoring."""

from django.db import migrations

# What policy_data ships beyond the rows of migration 0003.
ADDED_RULES = {"fujian-2013": ["petition-department"], "sichuan-2017": ["petition-committee"]}
ADDED_CONTACT_RULESETS = ["sichuan-2017"]
# 001 §三 县级以上机关单位结对帮扶: a rule in code until now, a Fujian row from here on.
ORGAN_LEVELS = ["organ"]


def _models(apps):
    names = ("PolicyRuleSet", "QuotaRule", "ContactRequirement")
    return {name: apps.get_model("evaluations", name) for name in names}


def correct(apps, schema_editor):
    from evaluations.quota import policy_data

    models = _models(apps)
    for spec in policy_data.SHIPPED:
        ruleset = models["PolicyRuleSet"].objects.filter(code=spec["code"]).first()
        if ruleset is None:
            continue
        ruleset.case_deadline_months = spec["case_deadline_months"]
        ruleset.save(update_fields=["case_deadline_months"])
        for row in spec["rules"]:
            values = {k: v for k, v in row.items() if k != "code"}
            models["QuotaRule"].objects.update_or_create(
                ruleset=ruleset, code=row["code"], defaults=values
            )
        for row in spec["contacts"]:
            found = models["ContactRequirement"].objects.filter(ruleset=ruleset, kind=row["kind"])
            found = [c for c in found if c.cadre_levels == row["cadre_levels"]]
            if found:
                for c in found:
                    c.post_categories = row["post_categories"]
                    c.requires_standing_committee = row["requires_standing_committee"]
                    c.source = row["source"]
                    c.save()
            else:
                models["ContactRequirement"].objects.create(ruleset=ruleset, **row)


def uncorrect(apps, schema_editor):
    models = _models(apps)
    for code, rules in ADDED_RULES.items():
        models["QuotaRule"].objects.filter(ruleset__code=code, code__in=rules).delete()
    models["ContactRequirement"].objects.filter(ruleset__code__in=ADDED_CONTACT_RULESETS).delete()
    organ = models["ContactRequirement"].objects.filter(ruleset__code="fujian-2013")
    organ.filter(pk__in=[c.pk for c in organ if c.cadre_levels == ORGAN_LEVELS]).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0008_post_category")]
    operations = [migrations.RunPython(correct, uncorrect)]
