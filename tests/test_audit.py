"""The audit trail: reads, changes and sign-in events, append-only and kept after users go."""

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.test import Client

from programs.models import Patient, SigninLink
from tests.conftest import make_program, prescribe

pytestmark = pytest.mark.django_db


def events(**filters):
    return [
        (e.actor.username if e.actor else e.actor_email, (e.additional_data or {}).get("event"))
        for e in LogEntry.objects.filter(action=LogEntry.Action.ACCESS, **filters).order_by("pk")
    ]


@pytest.fixture
def theo(django_user_model):
    user = django_user_model.objects.create_user(
        "theo-a", email="theo-a@clinic.test", password="therapist-pass-12", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Therapists"))
    return user


def test_a_therapists_day_is_in_the_trail(client, theo, exercise):
    patient = Patient.objects.create(name="Ada Audit", email="ada@example.test", therapist=theo)
    program = make_program(patient)
    prescribe(program, exercise)
    client.post("/admin/login/", {"username": "theo-a", "password": "wrong-password-1"})
    client.post("/admin/login/", {"username": "theo-a", "password": "therapist-pass-12"})
    client.get(f"/admin/programs/patient/{patient.pk}/change/")
    client.get(f"/admin/programs/program/{program.pk}/change/")
    client.get(f"/admin/programs/patient/{patient.pk}/export/json/")
    client.post(f"/accounts/links/new/{patient.pk}/")
    assert events() == [
        (None, "failed sign-in"),
        ("theo-a", "signed in"),
        ("theo-a", "viewed the patient page"),
        ("theo-a", "viewed the plan of Ada Audit"),
        ("theo-a", "exported the record (json)"),
    ]
    issued = LogEntry.objects.get_for_model(SigninLink).get(action=LogEntry.Action.CREATE)
    assert issued.actor == theo
    assert (
        LogEntry.objects.get(
            action=LogEntry.Action.ACCESS, additional_data__event="signed in"
        ).remote_addr
        == "127.0.0.1"
    )


def test_a_patients_own_reads_and_a_password_change_are_recorded(alice, patient, program):
    alice.get("/")
    alice.get("/history/")
    assert events() == [
        ("alice@example.test", "signed in"),
        ("alice@example.test", "viewed their own /"),
        ("alice@example.test", "viewed their own /history/"),
    ]
    user = patient.user
    user.set_password("a-new-long-password")
    user.save()
    change = LogEntry.objects.get_for_object(user).get(action=LogEntry.Action.UPDATE)
    assert "password" in change.changes_dict
    assert "a-new-long-password" not in str(change.changes)


def test_a_clinic_leads_reads_are_marked(client, django_user_model, patient):
    lead = django_user_model.objects.create_user("lena-lead", is_staff=True)
    lead.groups.add(Group.objects.get(name="Clinic leads"))
    client.force_login(lead)
    assert client.get(f"/admin/programs/patient/{patient.pk}/change/").status_code == 200
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).order_by("pk").last()
    assert entry.additional_data == {"event": "viewed the patient page", "role": "clinic lead"}


def test_the_trail_is_read_only_and_outlives_its_users(admin_client, theo, patient):
    theo_client = Client()
    theo_client.force_login(theo)
    patient.care_team.add(theo)
    theo_client.get(f"/admin/programs/patient/{patient.pk}/change/")
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).order_by("pk").last()
    url = f"/admin/auditlog/logentry/{entry.pk}/"
    assert admin_client.get(url + "delete/").status_code == 403
    assert admin_client.post(url + "change/", {}).status_code == 403
    assert theo_client.get("/admin/auditlog/logentry/").status_code == 403  # therapists can't
    theo.delete()
    entry.refresh_from_db()
    assert (entry.actor, entry.actor_email) == (None, "theo-a@clinic.test")
