from django.core.management.base import BaseCommand, CommandError

from analytics import exports, reports
from analytics.frames import SYSTEM
from evaluations.models import OrgUnit
from surveys import exporting
from surveys.models import Response


class Command(BaseCommand):
    help = "Write satisfaction scores per cadre (columns in the README) as CSV or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--unit", help="org unit code: only cadres in its subtree")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument(
            "--channel",
            action="append",
            choices=Response.Channel.values,
            help="only responses of this channel (web, paper, assisted); repeatable; default all",
        )
        parser.add_argument("--output", "-o", help="file to write (required for xlsx)")
        parser.add_argument(
            "--columns",
            choices=exporting.STYLES,
            default="zh",
            help="zh: Chinese headers, rounded as on screen, BOM (default); codes: for scripts",
        )

    def handle(
        self,
        *args,
        year,
        unit=None,
        format="csv",
        output=None,
        columns="zh",
        channel=None,
        **options,
    ):
        scope = None
        if unit:
            scope = OrgUnit.objects.filter(code=unit).first()
            if scope is None:
                raise CommandError(f"No org unit with code {unit!r}.")
        if format == "xlsx" and not output:
            raise CommandError("--format xlsx needs --output FILE.")
        report = reports.scores(SYSTEM, year=year, unit=scope, channels=channel or None)
        if format == "csv":
            text = exports.scores_csv(report.rows, style=columns)
            if output:
                with open(output, "w", encoding="utf-8", newline="") as out:
                    out.write(text)
            else:
                self.stdout.write(text, ending="")
        else:
            with open(output, "wb") as out:
                out.write(exports.scores_xlsx(report.rows, title=f"{year}", style=columns))
        if output:
            self.stderr.write(f"{len(report.rows)} cadres written to {output}")
