import sys

from django.core.management.base import BaseCommand, CommandError

from analytics.assessment import runs as assessment
from evaluations.cycles.services import create_cycle
from evaluations.models import OrgUnit


class Command(BaseCommand):
    help = "Compute the annual assessment of a unit, with a progress bar; prints the suggestions."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--unit", required=True, help="org unit code")

    def handle(self, *args, year, unit, **options):
        scope = OrgUnit.objects.filter(code=unit).first()
        if scope is None:
            raise CommandError(f"No org unit with code {unit!r}.")
        cycle = create_cycle(unit=scope, year=year)
        run, created = assessment.open_run(cycle)
        if not created:
            raise CommandError(f"Run {run.pk} of this cycle is still in progress.")
        run = assessment.run_all(run, progress=self._bar)
        self.stderr.write("")
        for result in run.results.select_related("cadre").order_by("-composite"):
            score = "—" if result.composite is None else f"{result.composite:.1f}"
            self.stdout.write(
                f"{result.cadre.code}\t{result.cadre.name}\t{score}\t"
                f"{result.get_suggested_grade_display()}"
            )
        self.stderr.write(
            f"run {run.pk}: {run.get_status_display()}, inputs {run.fingerprint[:12]}"
        )

    def _bar(self, run):
        width = 30
        filled = width * run.progress_done // max(run.progress_total, 1)
        sys.stderr.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {run.percent:3d}% "
            f"{run.progress_done}/{run.progress_total}"
        )
        sys.stderr.flush()
