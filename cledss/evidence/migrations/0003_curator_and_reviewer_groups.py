"""The two curation roles as Django groups with the permissions each needs."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = {
    # Curators write drafts and hand them to review; they cannot publish.
    "Curator": [
        "view_study", "add_study", "change_study", "delete_study", "submit_study",
        "view_finding", "add_finding", "change_finding", "delete_finding", "submit_finding",
        "view_evidenceversion",
    ],
    # Reviewers publish, send back or retract; they may correct a draft, but then someone else publishes it.
    "Reviewer": [
        "view_study", "change_study", "publish_study",
        "view_finding", "change_finding", "publish_finding",
        "view_evidenceversion",
    ],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations have run; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(content_type__app_label="evidence", codename__in=codenames)
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"permissions missing for group {name}: {sorted(missing)}")
        group.permissions.set(permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0002_curation_workflow_history_versions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
