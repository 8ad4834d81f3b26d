"""The reminder e-mails off the request path and off the daily command: the task worker
(`manage.py db_worker`) sends them, so a slow or absent mail server delays nothing else."""

from django_tasks import task

from evaluations.todo import services


@task()
def mail_reminders(reminder_ids: list[int]) -> int:
    return services.mail_reminders(reminder_ids)


def remind_and_queue_mail(*, today=None) -> list[int]:
    """Today's reminders into the inbox; their e-mail queued for the worker when configured."""
    new = services.remind(today=today)
    if new and services.mail_enabled():
        mail_reminders.enqueue(new)
    return new
