from django.db import migrations

CATEGORIES = [
    ("Getting started", "getting-started", "First steps: installing the apps, creating your vault, importing.", False),
    ("Sync and devices", "sync-and-devices", "Adding devices, sync, the apps on each platform.", False),
    ("Account and security", "account-and-security", "Signing in, your Account Password, QR code and resets.", False),
    ("Feature requests", "feature-requests", "What you would like the apps to do next.", False),
    ("Announcements", "announcements", "News from the Vault team.", True),
]


def seed(apps, schema_editor):
    Category = apps.get_model("forums", "Category")
    for position, (name, slug, description, staff_only) in enumerate(CATEGORIES):
        Category.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "description": description, "position": position, "staff_only": staff_only},
        )


class Migration(migrations.Migration):
    dependencies = [("forums", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
