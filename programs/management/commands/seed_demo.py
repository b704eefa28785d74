"""Demo accounts and a demo program, so a newcomer sees a real program right away."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from programs.models import Patient, Program, ReminderSettings
from programs.services import copy_template

STARTER_TITLE = "Tight hamstrings starter"
THERAPIST = ("therapist", "therapist-demo")
STAFF = ("staff", "staff-demo")
PATIENT = ("sam@example.com", "patient-demo")
# A second demo patient who reads Spanish first: the whole patient side in her language.
SPANISH_PATIENT = ("lucia@example.com", "paciente-demo")
# Sam's reminder is set this many minutes ahead, so `make run` shows one in its console.
REMINDER_AHEAD = datetime.timedelta(minutes=2)


class Command(BaseCommand):
    help = "Create the demo therapist, clinic-staff user, patient and program (development only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--print-only", action="store_true", help="Only print how to sign in; write nothing."
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even when DEBUG is off (never in production)."
        )
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")
        parser.add_argument(
            "--month",
            action="store_true",
            help="Also give the demo therapist six patients with a scripted month of logs.",
        )

    def handle(self, *args, print_only, force, base_url, month=False, **options):
        if print_only:
            self.print_signins(base_url.rstrip("/"))
            return
        if not (settings.DEBUG or force):
            raise CommandError(
                "seed_demo creates accounts with published passwords, so it runs only with "
                "DEBUG=1 (or --force)."
            )
        self.seed()
        if month:
            from programs.management.commands.demo_month import seed_month

            for name, story in seed_month(timezone.localdate()):
                self.stdout.write(f"  {name}: {story}")

    @transaction.atomic
    def seed(self):
        template = Program.objects.templates().filter(title=STARTER_TITLE).first()
        if template is None:
            raise CommandError(
                f"The “{STARTER_TITLE}” template is missing: run "
                "`manage.py loaddata hamstring_exercises protocols` first."
            )
        therapist = _user(*THERAPIST, group="Therapists", is_staff=True, first_name="Theo")
        _user(*STAFF, group="Clinic staff", is_staff=True)
        sam = _patient(PATIENT, "Sam", "Sam Demo", therapist, template)
        _patient(SPANISH_PATIENT, "Lucía", "Lucía Demo", therapist, template, language="es")
        # As if Sam had switched reminders on: the next one a couple of minutes from now.
        at = (timezone.now().astimezone(sam.tzinfo) + REMINDER_AHEAD).time()
        ReminderSettings.objects.update_or_create(
            patient=sam,
            defaults={
                "enabled": True,
                "by_email": True,
                "time_of_day": at.replace(second=0, microsecond=0),
                "session_days_only": False,
                "changed": timezone.now(),
                "unsubscribed": None,
            },
        )
        self.stdout.write(self.style.SUCCESS("Demo therapist, staff, patients and program ready."))

    def print_signins(self, base_url):
        self.stdout.write(
            "Demo sign-ins (development only):\n"
            f"  Therapist:    {base_url}/admin/  username {THERAPIST[0]}, password {THERAPIST[1]}\n"
            f"  Clinic staff: {base_url}/admin/  username {STAFF[0]}, password {STAFF[1]}\n"
            f"  Patient:      {base_url}/accounts/login/  email {PATIENT[0]}, password {PATIENT[1]}\n"
            f"  In Spanish:   {base_url}/accounts/login/  email {SPANISH_PATIENT[0]}, "
            f"password {SPANISH_PATIENT[1]}"
        )
        choice = ReminderSettings.objects.filter(patient__email=PATIENT[0], enabled=True).first()
        if choice is not None:
            self.stdout.write(
                f"  Sam's reminder email is due at {choice.time_of_day:%H:%M} "
                f"({choice.patient.time_zone}): the worker prints it in this console."
            )


def _user(username, password, group=None, **fields):
    user, _ = get_user_model().objects.update_or_create(username=username, defaults=fields)
    user.set_password(password)
    user.save(update_fields=["password"])
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def _patient(account, first_name, name, therapist, template, language="en"):
    """A demo patient with a password, on the starter plan from this week's Monday."""
    email, password = account
    user = _user(email, password, email=email, first_name=first_name)
    patient, _ = Patient.objects.update_or_create(
        email=email,
        defaults={"name": name, "therapist": therapist, "user": user, "language": language},
    )
    if not patient.programs.filter(template=template).exists():
        today = timezone.localdate()
        monday = today - datetime.timedelta(days=today.weekday())
        copy_template(template, patient, monday, Program.Status.ACTIVE)
    return patient
