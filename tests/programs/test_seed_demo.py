import datetime

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.utils import timezone

from programs.models import Patient, Program, ReminderSettings

pytestmark = pytest.mark.django_db


def test_it_seeds_the_demo_once(settings, protocols, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")

    patient = Patient.objects.get(email="sam@example.com")
    assert (patient.name, patient.email, patient.user.username) == (
        "Sam Demo",
        "sam@example.com",
        "sam@example.com",
    )
    program = Program.objects.plans().get(patient=patient)
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
    assert "Demo therapist, staff, patients and program ready." in capsys.readouterr().out


def test_it_seeds_a_spanish_patient_on_the_same_plan(settings, protocols):
    settings.DEBUG = True
    call_command("seed_demo")

    lucia = Patient.objects.get(email="lucia@example.com")
    assert (lucia.name, lucia.language) == ("Lucía Demo", "es")
    assert authenticate(username="lucia@example.com", password="paciente-demo") == lucia.user
    program = lucia.programs.get()
    assert (program.status, program.template.title) == ("active", "Tight hamstrings starter")
    assert program.prescriptions.count() == 4


def test_sams_reminder_is_on_a_couple_of_minutes_ahead(settings, protocols, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    choice = ReminderSettings.objects.get(patient__email="sam@example.com")
    ahead = timezone.now().astimezone(choice.patient.tzinfo) + datetime.timedelta(minutes=2)
    assert choice.is_on and not choice.session_days_only and not choice.missed_yesterday
    assert choice.time_of_day == ahead.time().replace(second=0, microsecond=0)
    assert not ReminderSettings.objects.filter(patient__email="lucia@example.com").exists()

    capsys.readouterr()
    call_command("seed_demo", "--print-only")
    assert f"Sam's reminder email is due at {choice.time_of_day:%H:%M}" in capsys.readouterr().out


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
