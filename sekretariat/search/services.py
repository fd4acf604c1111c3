"""Keeping the search index current.

The index is a consumer of the domain events (`handlers.CONSUMER`, see `core.dispatch`): after
each write commits, the events it recorded name the objects whose documents are re-indexed
(`search_index_objects`). `search_catch_up` reads the events the index has not seen yet; it
runs after each committing write (embedded), in `sekretariat worker`, or on the task queue.
A search never writes the index.
`search_reindex` rebuilds everything (`sekretariat reindex`); an index built with another
`INDEX_VERSION` is rebuilt by the next catch-up that may take long (`search_index_ready`).
"""

import contextlib
import functools
import logging
from collections import deque
from collections.abc import Callable
from operator import itemgetter

from django.db import connection, transaction
from django.utils import timezone

from sekretariat.core import dispatch

from . import handlers, indexer, rebuild
from .backends import get_backend
from .models import SearchState

logger = logging.getLogger(__name__)

# The consumer's name in the event log's positions (never changes).
CONSUMER_NAME = "search"
# The layout of the index's documents and terms; an index built with another is rebuilt by the
# next `search_catch_up` (3: filter and access terms, `indexer.filter_terms`; 4: stemming
# of Latin neuters, "fora", "budget", "orden", "center"; 5: a term per pair of adjacent
# compound parts, `analysis.words.pair_terms`; adjectives in -gisk and -misk; 6: a term
# for the quarter of a document's date, `backends.base.quarter_term`).
INDEX_VERSION = 6
CATCH_UP_LIMIT = 200
# How often the worker counts the frequent terms anew (SQLite's ranking of frequent words).
STATISTICS_EVERY_SECONDS = 6 * 3600
# A prepared row's year (`prepare_rows` keeps the columns' places).
_YEAR = indexer.COLUMNS.index("year")


def search_index_objects(**ids) -> int:
    """Re-index the named objects (`indexer.index_objects`); returns the documents written."""
    return indexer.index_objects(**ids)


def search_catch_up(*, limit: int = CATCH_UP_LIMIT, now=None) -> int:
    """Index what changed since the last call; returns the number of events read.

    On an installation that has never been indexed, or whose index was built with another
    `INDEX_VERSION`, this rebuilds the whole index first.
    """
    return dispatch.consumer_catch_up(CONSUMER, limit=limit, now=now)


def search_index_ready(long_work_allowed: bool = True) -> bool:
    """Whether the index may take events now: an index of another layout is rebuilt first,
    except a large installation's where long work is not allowed (after a web request: minutes,
    not seconds), which waits for `sekretariat worker` or `sekretariat reindex`."""
    if not search_rebuild_needed():
        return True
    if not long_work_allowed and _large_installation():
        current = SearchState.objects.order_by("pk").first()
        version = current.index_version if current else None
        if version not in _rebuild_warned:  # once per process, not at every write
            _rebuild_warned.add(version)
            logger.warning(
                "The search index needs a rebuild (index version %s, this code %s): run "
                "`sekretariat reindex` or `sekretariat worker`.",
                version,
                INDEX_VERSION,
            )
        return False
    if not SearchState.objects.exists():
        search_reindex()  # a new installation: its first index, quickly built
        return True
    logger.info("Rebuilding the search index (index version %s).", INDEX_VERSION)
    total = search_reindex(progress=_progress_logger())
    logger.info("The search index is rebuilt: %s documents.", total)
    return True


def _progress_logger(every_seconds: float = 10.0) -> Callable[[int], None]:
    """A rebuild's progress, logged every few seconds (the worker's log shows a long one)."""
    import time

    last = [time.monotonic()]

    def progress(done: int) -> None:
        if time.monotonic() - last[0] >= every_seconds:
            last[0] = time.monotonic()
            logger.info("Rebuilding the search index: %s documents so far.", done)

    return progress


def search_rebuild_needed() -> bool:
    """True when the index was never built or was built with another `INDEX_VERSION`."""
    current = SearchState.objects.order_by("pk").values("index_version").first()
    return current is None or current["index_version"] != INDEX_VERSION


_rebuild_warned: set[int | None] = set()


def _large_installation() -> bool:
    from sekretariat.meetings.models import Meeting

    return Meeting.objects.count() >= PARALLEL_MIN_MEETINGS


def search_statistics_refresh() -> int:
    """Count the frequent terms' documents anew (see `SearchTermStatistic`); a rebuild does it
    too, `sekretariat worker` every few hours. Returns the number of terms kept."""
    with transaction.atomic():
        return get_backend().refresh_statistics()


def search_catch_up_pending() -> bool:
    """True when events wait that the index has not read."""
    return dispatch.pending(CONSUMER_NAME) > 0


# A rebuild reads, builds and analyses the documents in worker processes (the analyzer is pure
# Python, one core each) while this process writes; below this many meetings it does not pay.
REINDEX_WORKERS = 2
PARALLEL_MIN_MEETINGS = 400
# Jobs handed to the workers ahead of the one being written (their rows wait in memory).
JOBS_AHEAD_PER_WORKER = 2

# The database connections a worker inherited from this process: kept, never used or closed (a
# closed inherited PostgreSQL connection ends this process's session; an SQLite one must not
# cross a fork), so they are never garbage-collected either.
_inherited_connections: list = []


def reindex_workers(requested: int | None = None) -> int:
    """How many worker processes a rebuild may use. The workers read the domain rows on
    connections of their own, so they see only what is committed: none inside an open
    transaction (its changes would be missed) or on an in-memory SQLite database."""
    if connection.in_atomic_block:
        return 0
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        return 0
    if requested is not None:
        return requested
    return REINDEX_WORKERS if _large_installation() else 0


def _worker_started() -> None:
    from multiprocessing.util import Finalize

    from django.db import connections

    for wrapper in connections.all(initialized_only=True):
        if wrapper.connection is not None:
            _inherited_connections.append(wrapper.connection)
            wrapper.connection = None
    # The worker's own connections are closed when it leaves normally (`Pool.close`).
    Finalize(None, connections.close_all, exitpriority=10)


def _rebuild_pool(workers: int):
    import multiprocessing

    from .analysis import get_default_analyzer

    get_default_analyzer()  # built once, inherited by the workers
    indexer.warm_up()
    return multiprocessing.get_context("fork").Pool(workers, initializer=_worker_started)


def search_reindex(
    *, progress: Callable[[int], None] | None = None, workers: int | None = None
) -> int:
    """Rebuild the whole index from the domain objects; returns the number of documents.

    A bulk load: the rows are written with raw multi-row statements (COPY on PostgreSQL) while
    the backend's text index is set aside (`begin_bulk`) and built once at the end
    (`end_bulk`). With `workers` (default: 2 for a large installation, see `reindex_workers`),
    worker processes read, build and analyse jobs of a few hundred meetings while this process
    writes the rows of the jobs before them, in order."""
    backend = get_backend()
    workers = reindex_workers(workers)
    # Before the rebuild's transaction, so that the workers' connections plan with them.
    backend.analyze_sources([model._meta.db_table for model in rebuild.SOURCE_MODELS])
    if workers and backend.rebuilds_beside:
        return _reindex_beside(backend, workers, progress)
    with _worker_pool(workers) as pool, transaction.atomic():
        last = dispatch.latest_event_id()
        backend.clear()
        backend.begin_bulk()
        total = 0
        jobs = rebuild.rebuild_jobs(newest_first=backend.rebuild_newest_first)
        ahead = workers * JOBS_AHEAD_PER_WORKER
        for rows in _rows(jobs, pool, ahead, backend.prepare_rows):
            backend.bulk_insert(indexer.COLUMNS, rows)
            total += len(rows)
            if progress:
                progress(total)
        backend.end_bulk()
        backend.optimize()
        backend.refresh_statistics()
        _record_rebuild(last)
    if not connection.in_atomic_block:
        backend.after_rebuild()
    return total


@contextlib.contextmanager
def _worker_pool(workers: int, on_failure: Callable[[], None] | None = None):
    """A rebuild's worker processes (None without workers): they leave normally when the
    rebuild succeeds, are terminated (and `on_failure` called) when it fails."""
    pool = _rebuild_pool(workers) if workers else None
    try:
        yield pool
    except BaseException:
        if pool is not None:
            pool.terminate()
        if on_failure is not None:
            on_failure()
        raise
    if pool is not None:
        pool.close()
        pool.join()


def _reindex_beside(backend, workers: int, progress: Callable[[int], None] | None) -> int:
    """The rebuild of a backend that builds a new table beside the index in use (PostgreSQL):
    the workers read, analyse and write the jobs' rows into it on their own connections, then
    build its indexes and statistics side by side; one short transaction swaps it in. Searches
    use the old index until then, and nothing is half-written if the rebuild fails. The
    changes made meanwhile are after `last`, so the next catch-up applies them again."""
    last = dispatch.latest_event_id()
    with _worker_pool(workers, on_failure=backend.beside_abandon) as pool:
        table = backend.beside_begin()
        # Listed here: `imap` reads its iterable in a thread, which would open a connection.
        jobs = list(rebuild.rebuild_jobs(newest_first=backend.rebuild_newest_first))
        total = 0
        years: set[int | None] = set()
        for count, job_years in pool.imap(functools.partial(_job_write, table=table), jobs):
            total += count
            years |= job_years
            if progress:
                progress(total)
        statements = backend.beside_statements(years)
        for result in [pool.apply_async(_beside_run, (s,)) for s in statements]:
            result.get()
        with transaction.atomic():
            backend.beside_swap()
            _record_rebuild(last)
    return total


def _job_write(job, table: str) -> tuple[int, set[int | None]]:
    """Write the rows of one job into `table` (in a worker process, on its own connection);
    returns how many, and their years."""
    backend = get_backend()
    rows = backend.prepare_rows(indexer.COLUMNS, rebuild.rebuild_rows(job))
    backend.bulk_insert(indexer.COLUMNS, rows, table=table)
    return len(rows), set(map(itemgetter(_YEAR), rows))


def _beside_run(statement: str) -> None:
    get_backend().beside_run(statement)


def _record_rebuild(last: int) -> None:
    dispatch.position_set(CONSUMER_NAME, last)
    state = SearchState.objects.order_by("pk").first() or SearchState()
    state.rebuilt_at = timezone.now()
    state.index_version = INDEX_VERSION
    state.save()
    SearchState.objects.exclude(pk=state.pk).delete()


def _job_rows(job, prepare) -> list[tuple]:
    """The rows of one job, as the backend writes them (in a worker process)."""
    return prepare(indexer.COLUMNS, rebuild.rebuild_rows(job))


def _rows(jobs, pool, ahead: int, prepare):
    """The rows of each job, in the jobs' order; with a pool, up to `ahead` jobs are worked on
    while the rows of the one before them are written."""
    if pool is None:
        for job in jobs:
            yield _job_rows(job, prepare)
        return
    waiting: deque = deque()
    for job in jobs:
        waiting.append(pool.apply_async(_job_rows, (job, prepare)))
        if len(waiting) > ahead:
            yield waiting.popleft().get()
    while waiting:
        yield waiting.popleft().get()


# The search index as a consumer of the domain events (listed in `config/consumers.py`): which
# events it wants and what each makes stale are `handlers.TARGETS`.
CONSUMER = dispatch.Consumer(
    name=CONSUMER_NAME,
    events=frozenset(handlers.TARGETS),
    handle=handlers.handle,
    ready=search_index_ready,
    periodic=((STATISTICS_EVERY_SECONDS, search_statistics_refresh),),
)
