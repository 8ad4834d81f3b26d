from django.core.management.base import BaseCommand, CommandError

from surveys import exporting
from surveys.models import RatingLink, Response
from surveys.selectors import write_responses_csv


class Command(BaseCommand):
    help = "Write responses as CSV: token, submitted time, review, flags, one column per question."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv"], default="csv")
        parser.add_argument("--token", help="only this rating link")
        parser.add_argument(
            "--channel",
            action="append",
            choices=Response.Channel.values,
            help="only responses of this channel (web, paper, assisted); repeatable; default all",
        )
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")
        parser.add_argument(
            "--columns",
            choices=exporting.STYLES,
            default="zh",
            help="zh: Chinese headers and review states, BOM (default); codes: for scripts",
        )

    def handle(self, *args, token=None, output=None, columns="zh", channel=None, **options):
        links = RatingLink.objects.all()
        if token:
            links = links.filter(token=token)
            if not links.exists():
                raise CommandError(f"No rating link with token {token!r}.")
        if output:
            with open(output, "w", newline="", encoding="utf-8") as out:
                count = write_responses_csv(out, links, style=columns, channels=channel)
            self.stderr.write(f"{count} responses written to {output}")
        else:
            write_responses_csv(self.stdout, links, style=columns, channels=channel)
