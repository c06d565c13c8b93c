"""The closing article tells how to close an account yourself (issue 16): the account page does it now."""

from django.db import migrations

from support.search import index_rebuild

SLUG = "close-account"
OLD = (
    'To close your account, write to support from the e-mail address of the account and choose "Something else". '
    "A supervisor closes it and the console records who did it."
)
NEW = (
    'To close your account, sign in and open "Close my account" at the bottom of your account page. '
    'You type "close my account" and your Account Password again, and we e-mail you a receipt. '
    "If you cannot sign in, write to support from the e-mail address of the account: a supervisor closes it. "
    "Either way, our records show who closed it and when."
)


def _swap(apps, schema_editor, old: str, new: str):
    Article = apps.get_model("support", "Article")
    for article in Article.objects.filter(slug=SLUG):
        if old in article.body:
            article.body = article.body.replace(old, new)
            article.save(update_fields=["body"])
    index_rebuild(using=schema_editor.connection.alias)


def forwards(apps, schema_editor):
    _swap(apps, schema_editor, OLD, NEW)


def backwards(apps, schema_editor):
    _swap(apps, schema_editor, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [("support", "0007_reset_article_support_never_asks")]

    operations = [migrations.RunPython(forwards, backwards)]
