"""PostgreSQL: a GIN index per year of the search window, beside the one over all documents.
Nothing on SQLite. (Replaced by an index per year with documents in migration 0009; the
window's indexes are written out here as they were.)"""

import datetime

from django.db import migrations

PREFIX = "search_doc_vector_y"
STATEMENT = (
    "CREATE INDEX IF NOT EXISTS {name} ON search_searchdocument USING gin (search_vector) "
    "WHERE year = {year}"
)


def window_year_indexes(cursor, years=None) -> None:
    """The window's year indexes (next year, this year and three before it), and no other."""
    if years is None:
        this_year = datetime.date.today().year
        years = range(this_year + 1, this_year - 4, -1)
    wanted = {f"{PREFIX}{year}": int(year) for year in years}
    cursor.execute(
        "SELECT indexname FROM pg_indexes WHERE tablename = 'search_searchdocument' "
        "AND starts_with(indexname, %s)",
        [PREFIX],
    )
    for (name,) in cursor.fetchall():
        if name not in wanted:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
    for name, year in wanted.items():
        cursor.execute(STATEMENT.format(name=name, year=year))


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        window_year_indexes(cursor)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        window_year_indexes(cursor, years=[])


class Migration(migrations.Migration):
    dependencies = [("search", "0005_term_statistics")]

    operations = [migrations.RunPython(forward, backward)]
