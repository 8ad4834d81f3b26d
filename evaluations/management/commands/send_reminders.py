from django.core.management.base import BaseCommand

from evaluations.todo.tasks import remind_and_queue_mail


class Command(BaseCommand):
    help = (
        "Write today's reminders (case deadlines in 3 days, periods ending with a shortfall, "
        "votes closing today) into the staff inbox and queue their e-mail when EMAIL_HOST is "
        "set. Run daily, e.g. from cron."
    )

    def handle(self, *args, **options):
        new = remind_and_queue_mail()
        if options["verbosity"]:
            self.stdout.write(f"{len(new)} new reminder(s).")
