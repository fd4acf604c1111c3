"""PostgreSQL: `search_vector` becomes a plain column, written with each row as a tsvector
literal of the analyzer's terms (`backends.postgres.vector_literal`) instead of generated from
the stored terms by `to_tsvector`: the server no longer parses every document again, and the
terms need not be stored beside the vector. Existing rows keep their vectors (DROP EXPRESSION
keeps the values). Nothing on SQLite.

Backward: the generated column again, from the terms; rows written without their terms are
empty until the next rebuild, which the index version set to 0 asks for.
"""

from django.db import migrations

GENERATED = """ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title_terms), 'A')
        || setweight(to_tsvector('simple', text_terms), text_weight::"char")
        || setweight(to_tsvector('simple', filter_terms), 'D')
    ) STORED"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE search_searchdocument ALTER COLUMN search_vector DROP EXPRESSION"
    )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from sekretariat.search.backends.postgres import GIN_INDEX, ensure_year_indexes

    schema_editor.execute("ALTER TABLE search_searchdocument DROP COLUMN search_vector")
    schema_editor.execute(GENERATED)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' "
            "AND 'lz4' = ANY(enumvals)"
        )
        lz4 = cursor.fetchone() is not None
    if lz4:  # as migration 0004 set it
        schema_editor.execute(
            "ALTER TABLE search_searchdocument ALTER COLUMN search_vector SET COMPRESSION lz4"
        )
    schema_editor.execute(GIN_INDEX)
    with schema_editor.connection.cursor() as cursor:
        ensure_year_indexes(cursor)
    schema_editor.execute("UPDATE search_searchstate SET index_version = 0")


class Migration(migrations.Migration):
    dependencies = [("search", "0006_postgres_year_indexes")]

    operations = [migrations.RunPython(forward, backward)]
