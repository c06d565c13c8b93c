"""Knowledge-base search: a weighted tsvector with a GIN index and pg_trgm on PostgreSQL, FTS5 on SQLite.

The GIN indexes exist in the model state on every backend (so `makemigrations` stays quiet) but
are created only on PostgreSQL; SQLite gets the FTS5 virtual table instead.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from support.search import FTS_TABLE, fts_table_create_sql, index_rebuild

SEARCH_VECTOR_GIN = django.contrib.postgres.indexes.GinIndex(
    fields=["search_vector"], name="article_search_vector_gin"
)
TITLE_TRGM = django.contrib.postgres.indexes.GinIndex(
    fields=["title"], name="article_title_trgm", opclasses=["gin_trgm_ops"]
)


def indexes_create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        Article = apps.get_model("support", "Article")
        schema_editor.add_index(Article, SEARCH_VECTOR_GIN)
        schema_editor.add_index(Article, TITLE_TRGM)
    elif connection.vendor == "sqlite":
        schema_editor.execute(fts_table_create_sql())
    index_rebuild(using=connection.alias)


def indexes_drop(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        Article = apps.get_model("support", "Article")
        schema_editor.remove_index(Article, TITLE_TRGM)
        schema_editor.remove_index(Article, SEARCH_VECTOR_GIN)
    elif connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("support", "0004_ticket_reply_address")]

    operations = [
        TrigramExtension(),  # does nothing on SQLite
        migrations.AddField(
            model_name="article",
            name="keywords",
            field=models.CharField(
                blank=True,
                help_text="Other words people search with; they weigh as much as the title.",
                max_length=300,
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="article",
            name="related",
            field=models.ManyToManyField(blank=True, related_name="+", to="support.article"),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(model_name="article", index=SEARCH_VECTOR_GIN),
                migrations.AddIndex(model_name="article", index=TITLE_TRGM),
            ],
            database_operations=[migrations.RunPython(indexes_create, indexes_drop)],
        ),
    ]
