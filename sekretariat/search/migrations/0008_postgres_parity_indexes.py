"""PostgreSQL: the text index over all documents in two halves, even years and odd years (or
none), instead of one: a rebuild builds the halves side by side, each in half the time.
Nothing on SQLite. (Replaced by an index per year in migration 0009.)

Rows of up to 8160 bytes are kept whole in the table (`toast_tuple_target`): most documents'
text and tsvector then need no compression and no TOAST lookup when a search ranks them (a
rebuild sets the same on its new table).

On a large installation this rebuilds the text index: minutes at a million items.
"""

from django.db import migrations

TABLE = "search_searchdocument"
TOAST_TUPLE_TARGET = 8160
# The text index over all documents, as migrations 0002 and 0003 created it.
GIN_INDEX = f"CREATE INDEX search_doc_vector ON {TABLE} USING gin (search_vector)"
PARITY_INDEXES = {
    "search_doc_vector_even": f"CREATE INDEX IF NOT EXISTS search_doc_vector_even ON {TABLE} "
    "USING gin (search_vector) WHERE mod(year, 2) = 0",
    "search_doc_vector_odd": f"CREATE INDEX IF NOT EXISTS search_doc_vector_odd ON {TABLE} "
    "USING gin (search_vector) WHERE (mod(year, 2) = 1 OR year IS NULL)",
}


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in PARITY_INDEXES.values():
        schema_editor.execute(statement)
    schema_editor.execute("DROP INDEX IF EXISTS search_doc_vector")
    schema_editor.execute(f"ALTER TABLE {TABLE} SET (toast_tuple_target = {TOAST_TUPLE_TARGET})")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(GIN_INDEX.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS"))
    for name in PARITY_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("ALTER TABLE search_searchdocument RESET (toast_tuple_target)")


class Migration(migrations.Migration):
    dependencies = [("search", "0007_postgres_vector_written")]

    operations = [migrations.RunPython(forward, backward)]
