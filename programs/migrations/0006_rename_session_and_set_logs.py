"""An exercise session is an ExerciseSession (never the HTTP session); its sets are set_logs."""

import django.db.models.deletion
from django.db import migrations, models

ACTIONS = ["add", "change", "delete", "view"]


def rename_permissions(apps, schema_editor, old="session", new="exercisesession"):
    # RenameModel renames the content type; the permission codenames follow here so the
    # Therapists group keeps its view-only grant on sessions.
    Permission = apps.get_model("auth", "Permission")
    using = schema_editor.connection.alias
    for action in ACTIONS:
        Permission.objects.using(using).filter(
            content_type__app_label="programs", codename=f"{action}_{old}"
        ).update(codename=f"{action}_{new}")


def restore_permissions(apps, schema_editor):
    rename_permissions(apps, schema_editor, old="exercisesession", new="session")


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("programs", "0005_template_keys_pauses_and_log_constraints"),
    ]

    operations = [
        migrations.RenameModel(old_name="Session", new_name="ExerciseSession"),
        migrations.AlterField(
            model_name="setlog",
            name="session",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="set_logs",
                to="programs.exercisesession",
            ),
        ),
        migrations.RunPython(rename_permissions, restore_permissions),
    ]
