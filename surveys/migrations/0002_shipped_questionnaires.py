from django.db import migrations
from django.utils import timezone


def install_shipped(apps, schema_editor):
    from surveys import defaults

    models = {name: apps.get_model("surveys", name)
              for name in ("Questionnaire", "QuestionnaireVersion", "Question", "Choice")}
    for spec in defaults.SHIPPED:
        defaults.install(models, spec, publish_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]
    operations = [migrations.RunPython(install_shipped, migrations.RunPython.noop)]
