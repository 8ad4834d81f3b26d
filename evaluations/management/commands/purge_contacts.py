from django.conf import settings
from django.core.management.base import BaseCommand

from evaluations.cases import services as cases


class Command(BaseCommand):
    help = (
        "Blank residents' follow-up contacts on cases older than CONTACT_RETENTION_DAYS "
        "(个人信息保护法 art. 47). Run daily, e.g. from cron."
    )

    def handle(self, *args, **options):
        cleared = cases.purge_contacts()
        if options["verbosity"]:
            days = settings.CONTACT_RETENTION_DAYS
            self.stdout.write(f"{cleared} case contact(s) older than {days} days cleared.")
