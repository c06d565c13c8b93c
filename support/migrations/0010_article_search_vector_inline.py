"""Knowledge-base search on PostgreSQL: keep each article's `search_vector` in its row.

With the default storage (EXTENDED) PostgreSQL moved most vectors to the TOAST table, so ranking
the matches of a search fetched and decompressed every matched vector from there: most of a
search's time with 1,000 articles. STORAGE MAIN keeps the vector in the row (compressed when the
row is large, moved out only as a last resort; the body goes to TOAST first). The vectors are
written again so that the rows take the new storage. Nothing to do on SQLite (FTS5 table).
"""

from django.db import migrations

from support.search import index_rebuild


def vector_inline(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE support_article ALTER COLUMN search_vector SET STORAGE MAIN")
        index_rebuild(using=schema_editor.connection.alias)


def vector_extended(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE support_article ALTER COLUMN search_vector SET STORAGE EXTENDED")
        index_rebuild(using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("support", "0009_reset_article_second_factors")]

    operations = [migrations.RunPython(vector_inline, vector_extended, elidable=False)]
