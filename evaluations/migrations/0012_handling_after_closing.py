"""Handling ratings open only once a case is finished (issue 18 §5): the links of cases still
being handled are closed until then; finished cases keep theirs as they are."""

from django.db import migrations

UNFINISHED = ("received", "accepted", "assigned", "escalated")


def close_unfinished(apps, schema_editor):
    RatingLink = apps.get_model("surveys", "RatingLink")
    RatingLink.objects.filter(case__status__in=UNFINISHED).update(is_enabled=False)


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0011_session_year"), ("surveys", "0006_ballot_receipts")]

    operations = [migrations.RunPython(close_unfinished, migrations.RunPython.noop)]
