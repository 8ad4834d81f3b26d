from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from evaluations.models import Cadre, OrgUnit
from evaluations.quota import compliance
from evaluations.quota import exports as compliance_export
from surveys import exporting


class Command(BaseCommand):
    help = (
        "Quota compliance for a year: one row per cadre, rule and period with required, done, "
        "shortfall and status (CSV to standard output, or an Excel file)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--unit", help="org unit code: only this unit and the units below it")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--output", "-o", help="file to write (required for xlsx)")
        parser.add_argument(
            "--columns",
            choices=exporting.STYLES,
            default="zh",
            help="zh: Chinese headers and statuses, BOM (default); codes: for scripts",
        )

    def handle(self, *args, year, unit=None, output=None, columns="zh", **options):
        fmt = options["format"]
        if fmt == "xlsx" and not output:
            raise CommandError("--format xlsx needs --output FILE.")
        scope = None
        if unit:
            scope = OrgUnit.objects.filter(code=unit).first()
            if scope is None:
                raise CommandError(f"No org unit with code {unit!r}.")
        report = compliance.scope_report(
            cadres=Cadre.objects.all(),
            units=OrgUnit.objects.all(),
            year=year,
            unit=scope,
            as_of=timezone.localdate(),
        )
        if fmt == "xlsx":
            with open(output, "wb") as out:
                out.write(compliance_export.xlsx_bytes(report, style=columns))
            self.stderr.write(f"{len(report.cadres)} cadres written to {output}")
        elif output:
            with open(output, "w", newline="", encoding="utf-8") as out:
                count = compliance_export.write_csv(out, report, style=columns)
            self.stderr.write(f"{count} rows written to {output}")
        else:
            compliance_export.write_csv(self.stdout, report, style=columns)
