import datetime

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.utils import timezone

from programs.models import Patient, Program

pytestmark = pytest.mark.django_db


def test_it_seeds_the_demo_once(settings, protocols, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")

    patient = Patient.objects.get()
    assert (patient.name, patient.email, patient.user.username) == (
        "Sam Demo",
        "sam@example.com",
        "sam@example.com",
    )
    program = Program.objects.plans().get()
    today = timezone.localdate()
    assert program.patient == patient
    assert program.status == "active"
    assert program.template.title == "Tight hamstrings starter"
    assert program.start_date == today - datetime.timedelta(days=today.weekday())
    assert program.prescriptions.count() == 4
    assert program.planned_sessions(today, today)  # the glide is daily: always something today

    therapist = authenticate(username="therapist", password="therapist-demo")
    assert therapist.is_staff and not therapist.is_superuser
    assert list(therapist.groups.values_list("name", flat=True)) == ["Therapists"]
    assert patient.therapist == therapist
    staff = authenticate(username="staff", password="staff-demo")
    assert list(staff.groups.values_list("name", flat=True)) == ["Clinic staff"]
    assert authenticate(username="sam@example.com", password="patient-demo") == patient.user
    assert "Demo therapist, staff, patient and program ready." in capsys.readouterr().out


def test_print_only_writes_nothing_and_prints_sign_ins(capsys):
    call_command("seed_demo", "--print-only")
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8000/admin/  username therapist, password therapist-demo" in out
    assert (
        "http://127.0.0.1:8000/accounts/login/  email sam@example.com, password patient-demo" in out
    )
    assert not Patient.objects.exists()


def test_it_refuses_without_debug(settings, protocols):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="runs only with DEBUG=1"):
        call_command("seed_demo")
    assert not Patient.objects.exists()
    call_command("seed_demo", "--force")
    assert Patient.objects.exists()


def test_it_needs_the_templates(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="loaddata hamstring_exercises protocols"):
        call_command("seed_demo")
