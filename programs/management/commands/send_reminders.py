"""Send the reminders due now, each once: run it each minute, or let the worker's tick do it."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from programs import reminders, tasks


class Command(BaseCommand):
    help = (
        "Queue the reminder emails due now (each patient, day and kind once) and requeue "
        "emails no worker took. Run it each minute from cron, or pass --start once to have "
        "the task worker run it each minute itself."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--start",
            action="store_true",
            help="Enqueue the worker's minute tick (a second chain of ticks stops itself).",
        )

    def handle(self, *args, start=False, **options):
        if start:
            if not tasks.schedule_reminders():
                raise CommandError(
                    "This task backend can't run tasks later: run send_reminders from cron."
                )
            self.stdout.write("The worker will look for due reminders every minute.")
            return
        now = timezone.now()
        queued = reminders.send_due(now)
        requeued = tasks.requeue_lost_emails(now)
        self.stdout.write(f"{queued} reminder(s) queued; {requeued} waiting email(s) requeued.")
