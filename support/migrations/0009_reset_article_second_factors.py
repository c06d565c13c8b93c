"""The account-reset article explains resets of accounts with a second factor (issue 15)."""

from django.db import migrations

from support.search import index_rebuild

SLUG = "account-reset"
MARKER = "If your account has a second factor"
SECTION = """\
If your account has a second factor

If you added a passkey or an authenticator app, the reset link asks for it before the reset form appears: enter the code from your authenticator app, or one of your recovery codes (each works once). Your second factors are kept.

If you lost your second factor too, choose the waiting period on the reset link page. The reset then waits 7 days. We e-mail your address at the start and again a day before the end, and every app signed in to your account shows the pending reset; anyone who sees it can cancel it with "This wasn't me". After the wait, the same link works without the second factor, and the reset also removes your passkeys, authenticator app and recovery codes (the confirmation e-mail says so). Add a new second factor from your account page afterwards.

Our support team can see whether your account has a second factor and whether such a reset is waiting, but can never see or remove a second factor, and cannot shorten the wait."""


def forwards(apps, schema_editor):
    Article = apps.get_model("support", "Article")
    for article in Article.objects.filter(slug=SLUG):
        if MARKER not in article.body:
            article.body = article.body.rstrip() + "\n\n" + SECTION
            article.save(update_fields=["body"])
    index_rebuild(using=schema_editor.connection.alias)


def backwards(apps, schema_editor):
    Article = apps.get_model("support", "Article")
    for article in Article.objects.filter(slug=SLUG):
        if MARKER in article.body:
            article.body = article.body.split("\n\n" + MARKER, 1)[0]
            article.save(update_fields=["body"])
    index_rebuild(using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("support", "0008_close_account_article_self_service")]

    operations = [migrations.RunPython(forwards, backwards)]
