"""Filter and access values as index terms (`SearchDocument.filter_terms`) and the index version.

The text index gets a third column (SQLite: FTS5 `filter_terms`; PostgreSQL: the tsvector takes
them with weight D). Existing documents have no filter terms: their `SearchState` is at index
version 0, so the next `search_catch_up` rebuilds the index.
"""

from django.db import migrations, models

SQLITE_FORWARD = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title_terms, text_terms, filter_terms,
        content='search_searchdocument', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0'
    )""",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts (rowid, title_terms, text_terms, filter_terms)
        VALUES (new.id, new.title_terms, new.text_terms, new.filter_terms);
    END""",
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts (search_fts, rowid, title_terms, text_terms, filter_terms)
        VALUES ('delete', old.id, old.title_terms, old.text_terms, old.filter_terms);
    END""",
    """CREATE TRIGGER search_fts_update AFTER UPDATE OF title_terms, text_terms, filter_terms
        ON search_searchdocument BEGIN
        INSERT INTO search_fts (search_fts, rowid, title_terms, text_terms, filter_terms)
        VALUES ('delete', old.id, old.title_terms, old.text_terms, old.filter_terms);
        INSERT INTO search_fts (rowid, title_terms, text_terms, filter_terms)
        VALUES (new.id, new.title_terms, new.text_terms, new.filter_terms);
    END""",
    "INSERT INTO search_fts (search_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title_terms, text_terms,
        content='search_searchdocument', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0'
    )""",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts (rowid, title_terms, text_terms)
        VALUES (new.id, new.title_terms, new.text_terms);
    END""",
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts (search_fts, rowid, title_terms, text_terms)
        VALUES ('delete', old.id, old.title_terms, old.text_terms);
    END""",
    """CREATE TRIGGER search_fts_update AFTER UPDATE OF title_terms, text_terms
        ON search_searchdocument BEGIN
        INSERT INTO search_fts (search_fts, rowid, title_terms, text_terms)
        VALUES ('delete', old.id, old.title_terms, old.text_terms);
        INSERT INTO search_fts (rowid, title_terms, text_terms)
        VALUES (new.id, new.title_terms, new.text_terms);
    END""",
    "INSERT INTO search_fts (search_fts) VALUES ('rebuild')",
]
POSTGRES_FORWARD = [
    "DROP INDEX IF EXISTS search_doc_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
    """ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('simple', title_terms), 'A')
            || setweight(to_tsvector('simple', text_terms), text_weight::"char")
            || setweight(to_tsvector('simple', filter_terms), 'D')
        ) STORED""",
    "CREATE INDEX search_doc_vector ON search_searchdocument USING gin (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_doc_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
    """ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('simple', title_terms), 'A')
            || setweight(to_tsvector('simple', text_terms), text_weight::"char")
        ) STORED""",
    "CREATE INDEX search_doc_vector ON search_searchdocument USING gin (search_vector)",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_backend_index")]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="filter_terms",
            field=models.TextField(blank=True, verbose_name="filter terms"),
        ),
        migrations.AddField(
            model_name="searchstate",
            name="index_version",
            field=models.PositiveIntegerField(default=0, verbose_name="index version"),
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
