"""PostgreSQL: a GIN index per year of the search window, beside the one over all documents
(see `backends.postgres.ensure_year_indexes`; a rebuild and `search_worker` keep them in step
with the calendar). Nothing on SQLite."""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from sekretariat.search.backends.postgres import ensure_year_indexes

    with schema_editor.connection.cursor() as cursor:
        ensure_year_indexes(cursor)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from sekretariat.search.backends.postgres import ensure_year_indexes

    with schema_editor.connection.cursor() as cursor:
        ensure_year_indexes(cursor, years=[])


class Migration(migrations.Migration):
    dependencies = [("search", "0005_term_statistics")]

    operations = [migrations.RunPython(forward, backward)]
