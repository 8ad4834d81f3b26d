"""Issue 12 §1: an appraisal session states the year it appraises. Existing sessions take the
year written in their period ("2025年度"), else the year they closed, else the year created.
Reversible: backwards the column is simply dropped (the period text it came from stays)."""

import re

from django.db import migrations, models


def fill_year(apps, schema_editor):
    Session = apps.get_model("evaluations", "AppraisalSession")
    for session in Session.objects.all().iterator():
        found = re.search(r"(19|20)\d\d", session.period or "")
        stamp = session.closed_at or session.created_at
        session.year = int(found.group()) if found else stamp.year
        session.save(update_fields=["year"])


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0010_visit_checks"),
    ]

    operations = [
        migrations.AddField(
            model_name="appraisalsession",
            name="year",
            field=models.PositiveSmallIntegerField(null=True, verbose_name="评议年度"),
        ),
        migrations.RunPython(fill_year, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="appraisalsession",
            name="year",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="本次评议所评的年度；留空则取评议期间中的年份",
                verbose_name="评议年度",
            ),
        ),
    ]
