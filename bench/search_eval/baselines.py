"""Two plain full-text baselines over the same items: what an afternoon's work would give.

Each item is one document: its title, and its body = all its section texts (the decision is
one of them). A closed item is indexed with its public title only, as the public sees it.

- FTS5: SQLite's unicode61 tokenizer (no stemming, diacritics kept), the query's words OR'ed,
  ranked by bm25 with the title column weighted x5.
- PostgreSQL: to_tsvector('danish', ...) with the title at weight A, the query's words each
  through plainto_tsquery('danish', w) and OR'ed, ranked by ts_rank_cd.
"""

import re
import sqlite3

WORD = re.compile(r"\w+", re.UNICODE)


def documents(items: list[dict]) -> list[tuple[int, str, str]]:
    docs = []
    for item in items:
        if item["access"] == "lukket":
            docs.append((item["id"], item["public_title"] or "", ""))
        else:
            body = "\n".join(s["text"] for s in item["sections"])
            docs.append((item["id"], item["title"], body))
    return docs


class Fts5Baseline:
    name = "fts5"

    def __init__(self, items: list[dict]):
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(title, body, "
            "tokenize = 'unicode61 remove_diacritics 0')"
        )
        self.db.executemany(
            "INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)", documents(items)
        )

    def search(self, query: str, limit: int = 10) -> list[int]:
        terms = list(dict.fromkeys(w.lower() for w in WORD.findall(query)))
        if not terms:
            return []
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
        rows = self.db.execute(
            "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 5.0, 1.0), rowid LIMIT ?",
            (match, limit),
        )
        return [r[0] for r in rows]


class PostgresBaseline:
    """Needs a database of its own (created and dropped by the caller)."""

    name = "postgres_danish"

    def __init__(self, items: list[dict], url: str):
        import psycopg

        self.conn = psycopg.connect(url, autocommit=True)
        self.conn.execute("SET client_min_messages = warning")  # stop-word-only tsquery notices
        self.conn.execute("DROP TABLE IF EXISTS baseline_docs")
        self.conn.execute("CREATE TABLE baseline_docs (id integer PRIMARY KEY, tsv tsvector)")
        with self.conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO baseline_docs (id, tsv) VALUES (%s, "
                "setweight(to_tsvector('danish', %s), 'A') || to_tsvector('danish', %s))",
                documents(items),
            )
        self.conn.execute("CREATE INDEX ON baseline_docs USING gin (tsv)")
        self.conn.execute("ANALYZE baseline_docs")

    def search(self, query: str, limit: int = 10) -> list[int]:
        terms = list(dict.fromkeys(query.split()))
        if not terms:
            return []
        tsquery = " || ".join(["plainto_tsquery('danish', %s)"] * len(terms))
        rows = self.conn.execute(
            f"WITH q AS (SELECT ({tsquery}) AS q) "
            "SELECT id FROM baseline_docs, q WHERE tsv @@ q.q "
            "ORDER BY ts_rank_cd(tsv, q.q) DESC, id LIMIT %s",
            [*terms, limit],
        )
        return [r[0] for r in rows]

    def close(self) -> None:
        self.conn.close()
