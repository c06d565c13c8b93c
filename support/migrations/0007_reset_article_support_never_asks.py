"""The reset article says how support confirms who you are (issue 19): through your app, never a secret."""

from django.db import migrations

from support.search import index_rebuild

SLUG = "account-reset"
SENTENCE = (
    "Support will never ask for your password, your QR code or your recovery codes: "
    "we confirm who you are through your app."
)


def add(apps, schema_editor):
    Article = apps.get_model("support", "Article")
    for article in Article.objects.filter(slug=SLUG):
        if SENTENCE not in article.body:
            article.body = f"{article.body.rstrip()}\n\nTalking to support\n\n{SENTENCE}\n"
            article.save(update_fields=["body"])
    index_rebuild(using=schema_editor.connection.alias)


def remove(apps, schema_editor):
    Article = apps.get_model("support", "Article")
    for article in Article.objects.filter(slug=SLUG):
        article.body = article.body.replace(f"\n\nTalking to support\n\n{SENTENCE}\n", "\n")
        article.save(update_fields=["body"])
    index_rebuild(using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("support", "0006_seed_help_centre_articles")]

    operations = [migrations.RunPython(add, remove)]
