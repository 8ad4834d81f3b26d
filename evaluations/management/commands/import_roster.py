from django.core.management.base import BaseCommand, CommandError

from evaluations.models import OrgUnit
from evaluations.roster.services import import_roster


class Command(BaseCommand):
    help = (
        "Import org units and cadres from the roster template (.xlsx), all or nothing: every "
        "error is printed with its sheet and row number and nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the filled-in roster template (.xlsx)")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and count only; write nothing"
        )
        parser.add_argument("--within", help="org unit code: refuse rows outside its subtree")

    def handle(self, *args, file, dry_run=False, within=None, **options):
        scope = None
        if within:
            scope = OrgUnit.objects.filter(code=within).first()
            if scope is None:
                raise CommandError(f"No org unit with code {within!r}.")
        try:
            with open(file, "rb") as handle:
                result = import_roster(handle, within=scope, dry_run=dry_run)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        if not result.ok:
            for line in result.errors:
                self.stderr.write(line)
            raise CommandError(f"{len(result.errors)} 处错误，未导入任何数据。")
        verb = "将" if dry_run else "已"
        for label, counts in (("单位", result.units), ("干部", result.cadres)):
            self.stdout.write(
                f"{label}：{verb}新增 {counts['created']}，{verb}更新 {counts['updated']}，"
                f"未变化 {counts['unchanged']}"
            )
        self.stdout.write(f"任职经历：{verb}新记录 {result.tenures_opened} 条")
        if dry_run:
            self.stdout.write("只检查，未导入任何数据（--dry-run）。")
