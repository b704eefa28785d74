"""Demo accounts and a demo program, so a newcomer sees a real program right away."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from programs.models import Patient, Program
from programs.services import copy_template

STARTER_TITLE = "Tight hamstrings starter"
THERAPIST = ("therapist", "therapist-demo")
STAFF = ("staff", "staff-demo")
PATIENT = ("sam@example.com", "patient-demo")


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
        patient_user = _user(*PATIENT, email=PATIENT[0], first_name="Sam")
        patient, _ = Patient.objects.update_or_create(
            email=PATIENT[0],
            defaults={"name": "Sam Demo", "therapist": therapist, "user": patient_user},
        )
        if not patient.programs.filter(template=template).exists():
            today = timezone.localdate()
            monday = today - datetime.timedelta(days=today.weekday())
            copy_template(template, patient, monday, Program.Status.ACTIVE)
        self.stdout.write(self.style.SUCCESS("Demo therapist, staff, patient and program ready."))

    def print_signins(self, base_url):
        self.stdout.write(
            "Demo sign-ins (development only):\n"
            f"  Therapist:    {base_url}/admin/  username {THERAPIST[0]}, password {THERAPIST[1]}\n"
            f"  Clinic staff: {base_url}/admin/  username {STAFF[0]}, password {STAFF[1]}\n"
            f"  Patient:      {base_url}/accounts/login/  email {PATIENT[0]}, password {PATIENT[1]}"
        )


def _user(username, password, group=None, **fields):
    user, _ = get_user_model().objects.update_or_create(username=username, defaults=fields)
    user.set_password(password)
    user.save(update_fields=["password"])
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user
