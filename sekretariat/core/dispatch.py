"""Handing the recorded events to their consumers, after commit, without losing any.

A *consumer* (the search index, ...) is declared once, in `config/consumers.py`: a stable name,
the event classes it wants, and a function that handles a batch of them. Each consumer keeps its
position in the audit log (`EventConsumerPosition`); `consumer_catch_up` reads the events after
it, hands the wanted ones to the consumer and moves the position, all in one transaction. A
handler that raises rolls its batch back and leaves the position; the failure is kept on the
position row, and the next catch-up (after the next write, or the worker's next round) tries
again. So an event is handled at least once, in log order, whoever runs the catch-up.

Where the catch-up runs is a setting, `SEKRETARIAT_EVENT_HANDLING`:

- `inline` (the embedded default): after each committing write, in the process that wrote;
- `worker`: only in `sekretariat worker` (which polls the log);
- `celery`: each commit sends one task to the task queue (`core.tasks.events_catch_up`), which
  a Celery worker runs; a lost message costs nothing, the worker's beat catches up anyway.

A gap in the event ids may be a transaction that has not committed yet: the position is not moved
past a gap younger than `GAP_GRACE`, so its event is handled once it commits (events after the
gap are handled again meanwhile, which a consumer must tolerate: every handler is idempotent).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.module_loading import import_string

from .events import EVENT_TYPES, Event
from .models import AuditEvent, EventConsumerPosition

logger = logging.getLogger(__name__)

GAP_GRACE = datetime.timedelta(seconds=60)
BATCH = 200

# The task queue's task that runs `catch_up_all` (`core.tasks.events_catch_up`).
CATCH_UP_TASK = "sekretariat.events_catch_up"

INLINE = "inline"
WORKER = "worker"
CELERY = "celery"
MODES = (INLINE, WORKER, CELERY)


@dataclass(frozen=True)
class Consumer:
    """One reader of the event log.

    `handle` gets the wanted events of a batch, in log order, inside the transaction that moves
    the position. `ready(long_work_allowed)` is asked before each catch-up: it may do setup
    (the search index rebuilds itself when its layout changed) and returns False to leave the
    events for later (a rebuild too long to run after a web request waits for the worker)."""

    name: str
    events: frozenset[type[Event]]
    handle: Callable[[Sequence[Event]], None]
    ready: Callable[[bool], bool] | None = None
    # Work the worker does every so often besides the events: (seconds between, function).
    periodic: tuple[tuple[float, Callable[[], object]], ...] = field(default=())


def consumers() -> tuple[Consumer, ...]:
    """The installation's consumers, from the registry named by `SEKRETARIAT_EVENT_CONSUMERS`."""
    return tuple(import_string(settings.SEKRETARIAT_EVENT_CONSUMERS))


def consumer_get(name: str) -> Consumer:
    for consumer in consumers():
        if consumer.name == name:
            return consumer
    raise KeyError(name)


def event_from_row(row: AuditEvent) -> Event | None:
    """The typed event of a log row (None for a row older than typed events)."""
    cls = EVENT_TYPES.get(row.event)
    return cls.from_payload(row.data.get("event", {})) if cls else None


def position_set(name: str, last_event_id: int) -> None:
    """Put a consumer's position at `last_event_id` (a rebuild that read everything up to it)."""
    EventConsumerPosition.objects.update_or_create(
        consumer=name,
        defaults={"last_event_id": last_event_id, "last_error": "", "failed_at": None},
    )


def position_of(name: str) -> int:
    row = EventConsumerPosition.objects.filter(consumer=name).values("last_event_id").first()
    return row["last_event_id"] if row else 0


def latest_event_id() -> int:
    return AuditEvent.objects.aggregate(m=Max("pk"))["m"] or 0


def pending(name: str) -> int:
    """How many events the consumer has not read yet (of every kind)."""
    return AuditEvent.objects.filter(pk__gt=position_of(name)).count()


def consumer_catch_up(
    consumer: Consumer,
    *,
    limit: int = BATCH,
    long_work_allowed: bool = True,
    now: datetime.datetime | None = None,
) -> int:
    """Handle one batch of the events after the consumer's position; returns how many events
    were read (0 when there was nothing to do, or the consumer is not ready)."""
    if consumer.ready is not None and not consumer.ready(long_work_allowed):
        return 0
    position = (
        EventConsumerPosition.objects.filter(consumer=consumer.name)
        .values_list("last_event_id", flat=True)
        .first()
    )
    if position is not None and not AuditEvent.objects.filter(pk__gt=position).exists():
        return 0  # the usual case: one query
    if position is None:
        # A new consumer reads the log from its start.
        EventConsumerPosition.objects.get_or_create(consumer=consumer.name)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            # Another process holds the row: let it work.
            state = (
                EventConsumerPosition.objects.select_for_update(skip_locked=True)
                .filter(consumer=consumer.name)
                .first()
            )
            if state is None:
                return 0
            rows = list(
                AuditEvent.objects.filter(pk__gt=state.last_event_id)
                .order_by("pk")
                .only("pk", "event", "data", "occurred_at")[:limit]
            )
            if not rows:
                return 0
            wanted = [
                event
                for event in map(event_from_row, rows)
                if event is not None and type(event) in consumer.events
            ]
            if wanted:
                consumer.handle(wanted)
            state.last_event_id = _new_position(state.last_event_id, rows, now)
            state.last_error = ""
            state.failed_at = None
            state.save(update_fields=["last_event_id", "last_error", "failed_at", "updated_at"])
    except Exception as err:
        logger.exception("Event consumer %s failed; its position is kept.", consumer.name)
        if not connection.in_atomic_block:
            EventConsumerPosition.objects.filter(consumer=consumer.name).update(
                last_error=f"{type(err).__name__}: {err}"[:2000], failed_at=timezone.now()
            )
        raise
    return len(rows)


def _new_position(last: int, rows: list[AuditEvent], now: datetime.datetime) -> int:
    """The last event id before the first young gap (or the last event)."""
    expected = last + 1
    for row in rows:
        if row.pk != expected and now - row.occurred_at < GAP_GRACE:
            return expected - 1
        expected = row.pk + 1
    return rows[-1].pk


def catch_up_all(*, long_work_allowed: bool = True, limit: int = BATCH) -> int:
    """Every consumer until it has read everything; returns the events read. A failing
    consumer is logged and skipped (its position stays), the others go on."""
    total = 0
    for consumer in consumers():
        try:
            while True:
                read = consumer_catch_up(consumer, limit=limit, long_work_allowed=long_work_allowed)
                total += read
                if read < limit:
                    break
        except Exception:  # noqa: BLE001 - logged with its trace in consumer_catch_up
            continue
    return total


def handling_mode() -> str:
    mode = getattr(settings, "SEKRETARIAT_EVENT_HANDLING", INLINE)
    if mode not in MODES:
        raise ValueError(f"SEKRETARIAT_EVENT_HANDLING must be one of {MODES}, not {mode!r}")
    return mode


def schedule_after_commit() -> None:
    """Ask for the consumers to run once the current transaction commits (once per
    transaction, however many events it records; a rolled-back savepoint takes its request
    with it)."""
    if any(entry[1] is _after_commit for entry in connection.run_on_commit):
        return
    transaction.on_commit(_after_commit)


def _after_commit() -> None:
    mode = handling_mode()
    if mode == INLINE:
        # A web request must not wait minutes for a rebuild; that is left to the worker.
        catch_up_all(long_work_allowed=False)
    elif mode == CELERY:
        from sekretariat.config.celery import app

        try:
            # By the task's name (`core.tasks`), which imports this module.
            app.send_task(CATCH_UP_TASK)
        except Exception:  # noqa: BLE001 - the broker is down: the worker's beat catches up
            logger.warning("Could not send the events to the task queue; they wait in the log.")
