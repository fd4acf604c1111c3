"""Keeping the search index current.

The audit trail is the queue: every service writes an `AuditEvent` in the same transaction as
its change, so an event names every object whose documents may be stale. `search_catch_up`
re-indexes the objects named by the events after the last one it processed; it runs at the
start of every search (bounded by `limit`; `search_catch_up_in_request`), in `sekretariat
search_worker`, and after imports.
`search_reindex` rebuilds everything (`sekretariat reindex`).

A gap in the event ids may be a transaction that has not committed yet: the position is not
moved past a gap younger than `GAP_GRACE`, so its event is seen once it commits (objects after
the gap are re-indexed again meanwhile, which is harmless).
"""

import contextlib
import datetime
import functools
import logging
from collections import defaultdict, deque
from collections.abc import Callable
from operator import itemgetter

from django.db import connection, transaction
from django.db.models import Subquery
from django.utils import timezone

from sekretariat.core.models import AuditEvent
from sekretariat.meetings.models import AgendaItem, Attachment

from . import indexer
from .backends import get_backend
from .models import SearchState

logger = logging.getLogger(__name__)

GAP_GRACE = datetime.timedelta(seconds=60)
# The layout of the index's documents and terms; an index built with another is rebuilt by the
# next `search_catch_up` (3: filter and access terms, `indexer.filter_terms`; 4: stemming
# of Latin neuters, "fora", "budget", "orden", "center"; 5: a term per pair of adjacent
# compound parts, `analysis.words.pair_terms`; adjectives in -gisk and -misk; 6: a term
# for the quarter of a document's date, `backends.base.quarter_term`).
INDEX_VERSION = 6
CATCH_UP_LIMIT = 200

# object_type of an AuditEvent -> which index function its object needs.
_MEETING = "meetings.meeting"
_ITEM = "meetings.agendaitem"
_ATTACHMENT = "meetings.attachment"
_CASE = "cases.case"
_BODY = "bodies.body"
_PERSON = "bodies.person"
# A prepared row's year (`prepare_rows` keeps the columns' places).
_YEAR = indexer.COLUMNS.index("year")


def search_index_object(*, object_type: str, object_id: int) -> int:
    """Re-index one object by its label ('meetings.agendaitem', ...); returns documents written."""
    return _index({object_type: {int(object_id)}})


def _index(ids: dict[str, set[int]]) -> int:
    count = indexer.index_meetings(ids.get(_MEETING, set()))
    items = ids.get(_ITEM, set()) - _items_of_meetings(ids.get(_MEETING, set()))
    count += indexer.index_items(items)
    attachments = ids.get(_ATTACHMENT, set())
    if attachments:
        # Attachments of items just re-indexed are already current.
        done = set(
            Attachment.objects.filter(item_id__in=items, pk__in=attachments).values_list(
                "pk", flat=True
            )
        )
        count += indexer.index_attachments(attachments - done)
    count += indexer.index_cases(ids.get(_CASE, set()))
    count += indexer.index_bodies(ids.get(_BODY, set()))
    count += indexer.index_people(ids.get(_PERSON, set()))
    return count


def _items_of_meetings(meeting_ids: set[int]) -> set[int]:
    if not meeting_ids:
        return set()
    return set(AgendaItem.objects.filter(meeting_id__in=meeting_ids).values_list("pk", flat=True))


def _objects_of(event: AuditEvent) -> list[tuple[str, int]]:
    """The objects whose documents `event` may have changed."""
    try:
        object_id = int(event.object_id)
    except (TypeError, ValueError):
        return []
    kind = event.object_type
    if kind in (_MEETING, _ITEM, _ATTACHMENT, _CASE, _BODY, _PERSON):
        return [(kind, object_id)]
    if kind == "meetings.minutescorrection":
        item_id = (event.data or {}).get("item")
        return [(_ITEM, int(item_id))] if item_id else []
    if kind in ("bodies.appointment", "bodies.membership"):
        from sekretariat.bodies.models import Appointment

        appointment = Appointment.objects.filter(pk=object_id).select_related("membership").first()
        if appointment is None:
            return []
        return [
            (_PERSON, appointment.membership.person_id),
            (_BODY, appointment.membership.body_id),
        ]
    return []


def _state(lock: bool) -> SearchState | None:
    qs = SearchState.objects.order_by("pk")
    if lock:
        # Another catch-up holds the row: let it work, search what is there.
        qs = qs.select_for_update(skip_locked=True)
    return qs.first()


def search_catch_up(*, limit: int = CATCH_UP_LIMIT, now: datetime.datetime | None = None) -> int:
    """Index what changed since the last call; returns the number of events processed.

    On an installation that has never been indexed, or whose index was built with another
    `INDEX_VERSION`, this rebuilds the whole index first.
    """
    return _catch_up(limit=limit, now=now, rebuild_large=True)[0]


def search_catch_up_in_request() -> bool:
    """What a search request does first: `search_catch_up`, except that a large
    installation's rebuild (`PARALLEL_MIN_MEETINGS` meetings or more: minutes, not seconds) is
    not run inside the request but left to `sekretariat search_worker` or `sekretariat
    reindex`; searches use the index there is until then. Returns whether that rebuild is
    still to be done (the page says so)."""
    return _catch_up(limit=CATCH_UP_LIMIT, now=None, rebuild_large=False)[1]


def _catch_up(
    *, limit: int, now: datetime.datetime | None, rebuild_large: bool
) -> tuple[int, bool]:
    """(events processed, whether a rebuild was left undone)."""
    latest = AuditEvent.objects.order_by("-pk").values("pk")[:1]
    current = SearchState.objects.annotate(latest=Subquery(latest)).order_by("pk").first()
    if current is None or current.index_version != INDEX_VERSION:
        if not rebuild_large and _large_installation():
            version = current.index_version if current else None
            if version not in _rebuild_warned:  # once per process, not at every search
                _rebuild_warned.add(version)
                logger.warning(
                    "The search index needs a rebuild (index version %s, this code %s): run "
                    "`sekretariat reindex` or `sekretariat search_worker`.",
                    version,
                    INDEX_VERSION,
                )
            return 0, True
        search_reindex()
        return 0, False
    if current.latest is None or current.latest <= current.last_event_id:
        return 0, False  # one query when there is nothing to do: the usual case
    now = now or timezone.now()
    with transaction.atomic():
        state = _state(lock=True)
        if state is None:
            return 0, False
        events = list(
            AuditEvent.objects.filter(pk__gt=state.last_event_id)
            .order_by("pk")
            .only("pk", "object_type", "object_id", "data", "occurred_at")[:limit]
        )
        if not events:
            return 0, False
        ids: dict[str, set[int]] = defaultdict(set)
        for event in events:
            for kind, object_id in _objects_of(event):
                ids[kind].add(object_id)
        _index(ids)
        state.last_event_id = _new_position(state.last_event_id, events, now)
        state.save(update_fields=["last_event_id"])
    return len(events), False


_rebuild_warned: set[int | None] = set()


def _large_installation() -> bool:
    from sekretariat.meetings.models import Meeting

    return Meeting.objects.count() >= PARALLEL_MIN_MEETINGS


def _new_position(last: int, events: list[AuditEvent], now: datetime.datetime) -> int:
    """The last event id before the first young gap (or the last event)."""
    expected = last + 1
    for event in events:
        if event.pk != expected and now - event.occurred_at < GAP_GRACE:
            return expected - 1
        expected = event.pk + 1
    return events[-1].pk


def search_statistics_refresh() -> int:
    """Count the frequent terms' documents anew (see `SearchTermStatistic`); a rebuild does it
    too, `sekretariat search_worker` every few hours. Returns the number of terms kept."""
    with transaction.atomic():
        return get_backend().refresh_statistics()


def search_catch_up_pending() -> bool:
    state = SearchState.objects.order_by("pk").first()
    last = state.last_event_id if state else 0
    return AuditEvent.objects.filter(pk__gt=last).exists()


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
    backend.analyze_sources([model._meta.db_table for model in indexer.SOURCE_MODELS])
    if workers and backend.rebuilds_beside:
        return _reindex_beside(backend, workers, progress)
    with _worker_pool(workers) as pool, transaction.atomic():
        last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        backend.clear()
        backend.begin_bulk()
        total = 0
        jobs = indexer.rebuild_jobs(newest_first=backend.rebuild_newest_first)
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
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with _worker_pool(workers, on_failure=backend.beside_abandon) as pool:
        table = backend.beside_begin()
        # Listed here: `imap` reads its iterable in a thread, which would open a connection.
        jobs = list(indexer.rebuild_jobs(newest_first=backend.rebuild_newest_first))
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
    rows = backend.prepare_rows(indexer.COLUMNS, indexer.rebuild_rows(job))
    backend.bulk_insert(indexer.COLUMNS, rows, table=table)
    return len(rows), set(map(itemgetter(_YEAR), rows))


def _beside_run(statement: str) -> None:
    get_backend().beside_run(statement)


def _record_rebuild(last: int) -> None:
    state = SearchState.objects.order_by("pk").first() or SearchState()
    state.last_event_id = last
    state.rebuilt_at = timezone.now()
    state.index_version = INDEX_VERSION
    state.save()
    SearchState.objects.exclude(pk=state.pk).delete()


def _job_rows(job, prepare) -> list[tuple]:
    """The rows of one job, as the backend writes them (in a worker process)."""
    return prepare(indexer.COLUMNS, indexer.rebuild_rows(job))


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
