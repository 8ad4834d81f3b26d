"""Issue 12 §10: runs record their last progress, and a cycle has at most one live run.

Before the constraint, runs left "live" by killed workers are closed: for each cycle every
queued or running run but the newest is marked failed with the reason. Not reversed: which
of them was still alive cannot be known afterwards, and they had stopped progressing anyway."""

import django.utils.timezone
from django.db import migrations, models
from django.db.models.functions import Coalesce

LIVE = ["queued", "running"]
REASON = "同一考核有更新的计算，本次计算已中断（迁移时标记为失败）"


def close_duplicates(apps, schema_editor):
    Run = apps.get_model("analytics", "AssessmentRun")
    Run.objects.update(progress_at=Coalesce("finished_at", "created_at"))
    newest = {}
    for run in Run.objects.filter(status__in=LIVE).order_by("cycle_id", "-pk"):
        if run.cycle_id in newest:
            Run.objects.filter(pk=run.pk).update(
                status="failed", error=REASON, finished_at=django.utils.timezone.now()
            )
        else:
            newest[run.cycle_id] = run.pk


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0001_assessment_runs"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessmentrun",
            name="progress_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="最近进展"),
        ),
        migrations.RunPython(close_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="assessmentrun",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["queued", "running"])),
                fields=("cycle",),
                name="one_live_run_per_cycle",
            ),
        ),
    ]
