from django.contrib.auth.management import create_permissions
from django.db import migrations

ALL = ["add", "change", "delete", "view"]
GROUPS = {
    "Therapists": {
        ("programs", "patient"): ALL,
        ("programs", "program"): ALL,
        ("programs", "prescription"): ALL,
        ("programs", "signinlink"): ALL,
        ("programs", "session"): ["view"],
        ("programs", "setlog"): ["view"],
        ("exercises", "exercise"): ["view"],
    },
    # The exercise library only: no patient data at all.
    "Clinic staff": {
        ("exercises", "exercise"): ["add", "change", "view"],
    },
}


def create_groups(apps, schema_editor):
    using = schema_editor.connection.alias
    # Permissions are normally created after migrate; these groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in GROUPS.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        for (app_label, model), actions in grants.items():
            group.permissions.add(
                *Permission.objects.using(using).filter(
                    content_type__app_label=app_label,
                    codename__in=[f"{action}_{model}" for action in actions],
                )
            )


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("exercises", "0001_initial"),
        ("programs", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
