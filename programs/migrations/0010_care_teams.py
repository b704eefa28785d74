"""Care teams: a patient's therapist plus any others added; clinic leads may see every patient."""

from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

LEADS = "Clinic leads"


def create_leads(apps, schema_editor):
    """Clinic leads get the Therapists' permissions (0002_groups and later grants)."""
    using = schema_editor.connection.alias
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    leads, _ = Group.objects.using(using).get_or_create(name=LEADS)
    therapists = Group.objects.using(using).filter(name="Therapists").first()
    if therapists is not None:
        leads.permissions.add(*therapists.permissions.all())
    Permission = apps.get_model("auth", "Permission")
    leads.permissions.add(
        Permission.objects.using(using).get(
            content_type__app_label="programs", codename="view_all_patients"
        )
    )


def remove_leads(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=LEADS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0009_outcomes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="patient",
            options={
                "ordering": ["name"],
                "permissions": [("view_all_patients", "Can see every patient (clinic lead)")],
            },
        ),
        migrations.AddField(
            model_name="patient",
            name="care_team",
            field=models.ManyToManyField(
                blank=True,
                help_text="Other therapists who look after this patient; their therapist always does.",
                limit_choices_to={"groups__name": "Therapists", "is_staff": True},
                related_name="care_patients",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(create_leads, remove_leads),
    ]
