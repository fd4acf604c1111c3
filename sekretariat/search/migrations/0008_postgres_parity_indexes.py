"""PostgreSQL: the text index over all documents in two halves, even years and odd years (or
none), instead of one (see `backends.postgres.PARITY_INDEXES`): a rebuild builds the halves
side by side, each in half the time. Nothing on SQLite.

Rows of up to 8160 bytes are kept whole in the table (`toast_tuple_target`): most documents'
text and tsvector then need no compression and no TOAST lookup when a search ranks them (a
rebuild sets the same on its new table).

On a large installation this rebuilds the text index: minutes at a million items.
"""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from sekretariat.search.backends.postgres import PARITY_INDEXES, TABLE, TOAST_TUPLE_TARGET

    for name, statement in PARITY_INDEXES.items():
        schema_editor.execute(statement.format(name=name, table=TABLE))
    schema_editor.execute("DROP INDEX IF EXISTS search_doc_vector")
    schema_editor.execute(f"ALTER TABLE {TABLE} SET (toast_tuple_target = {TOAST_TUPLE_TARGET})")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from sekretariat.search.backends.postgres import GIN_INDEX, PARITY_INDEXES

    schema_editor.execute(GIN_INDEX.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS"))
    for name in PARITY_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("ALTER TABLE search_searchdocument RESET (toast_tuple_target)")


class Migration(migrations.Migration):
    dependencies = [("search", "0007_postgres_vector_written")]

    operations = [migrations.RunPython(forward, backward)]
