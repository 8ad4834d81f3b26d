from django.db import migrations


def install_shipped(apps, schema_editor):
    from evaluations.quota import policy_data

    models = {name: apps.get_model("evaluations", name)
              for name in ("PolicyRuleSet", "QuotaRule", "ContactRequirement")}
    for spec in policy_data.SHIPPED:
        policy_data.install(models, spec)


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0002_workbench")]
    operations = [migrations.RunPython(install_shipped, migrations.RunPython.noop)]
