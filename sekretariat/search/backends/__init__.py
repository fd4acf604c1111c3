"""One search interface, a backend per database, chosen by the connection's vendor."""

from django.db import connection

from .base import BackendQuery, Hit, SearchBackend
from .postgres import PostgresBackend
from .sqlite_fts5 import SqliteFts5Backend

__all__ = ["BackendQuery", "Hit", "SearchBackend", "get_backend"]

BACKENDS: dict[str, type[SearchBackend]] = {
    "sqlite": SqliteFts5Backend,
    "postgresql": PostgresBackend,
}


def get_backend(conn=None) -> SearchBackend:
    """The backend for `conn` (default: Django's default connection)."""
    conn = conn or connection
    try:
        return BACKENDS[conn.vendor](conn)
    except KeyError as exc:
        raise NotImplementedError(f"No search backend for {conn.vendor}") from exc
