"""PostgreSQL: the text index as one GIN index per year with documents and one over the rest
(see `backends.postgres.ensure_year_indexes`), instead of two halves (even and odd years) and
the window's years a second time. Each document is in one index, and a search reads a year's
postings from that year's index alone. Nothing on SQLite.

On a large installation this builds the text index anew: minutes at a million items.
"""

import importlib

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from sekretariat.search.backends.postgres import ensure_year_indexes

    parity = importlib.import_module("sekretariat.search.migrations.0008_postgres_parity_indexes")
    window = importlib.import_module("sekretariat.search.migrations.0006_postgres_year_indexes")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        ensure_year_indexes(cursor)
        window.window_year_indexes(cursor, years=[])
    for name in parity.PARITY_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from sekretariat.search.backends.postgres import drop_text_indexes

    parity = importlib.import_module("sekretariat.search.migrations.0008_postgres_parity_indexes")
    window = importlib.import_module("sekretariat.search.migrations.0006_postgres_year_indexes")
    for statement in parity.PARITY_INDEXES.values():
        schema_editor.execute(statement)
    with schema_editor.connection.cursor() as cursor:
        window.window_year_indexes(cursor)
        drop_text_indexes(cursor)


class Migration(migrations.Migration):
    dependencies = [("search", "0008_postgres_parity_indexes")]

    operations = [migrations.RunPython(forward, backward)]
