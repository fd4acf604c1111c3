"""PostgreSQL: the search documents' long columns compressed with LZ4 instead of pglz.

Ranking reads each matching document's tsvector, often out of line (TOAST): LZ4 decompresses
several times faster. Existing values keep their compression until they are written again
(`sekretariat reindex`). PostgreSQL 14 or newer built with LZ4 (Debian's and the official
images are); elsewhere, and on SQLite, nothing changes.
"""

from django.db import migrations

COLUMNS = ("text", "text_terms", "title_terms", "search_vector")


def _lz4(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression'")
        if cursor.fetchone() is None:
            return  # before PostgreSQL 14
        cursor.execute(
            "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' "
            "AND 'lz4' = ANY(enumvals)"
        )
        if cursor.fetchone() is None:
            return  # built without LZ4
    for column in COLUMNS:
        schema_editor.execute(
            f"ALTER TABLE search_searchdocument ALTER COLUMN {column} SET COMPRESSION lz4"
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0003_filter_terms")]

    operations = [migrations.RunPython(_lz4, migrations.RunPython.noop)]
