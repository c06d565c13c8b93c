"""Give the agent and supervisor groups the console's permissions (groups created if missing)."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

AGENT_PERMISSIONS = ["use_console", "view_supportauditevent"]
SUPERVISOR_PERMISSIONS = [*AGENT_PERMISSIONS, "change_license", "close_account"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; create ours now to assign them.
    create_permissions(global_apps.get_app_config("support"), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("agent", AGENT_PERMISSIONS), ("supervisor", SUPERVISOR_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="support", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="support", codename__in=SUPERVISOR_PERMISSIONS)
    for group in Group.objects.filter(name__in=["agent", "supervisor"]):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("support", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
