"""Typed events: recorded with the change, read back typed, handled after commit, never lost."""

import dataclasses
from types import SimpleNamespace

import pytest
from django.db import transaction

from sekretariat.core import dispatch, events
from sekretariat.core.models import AuditEvent, EventConsumerPosition
from sekretariat.core.services import event_record

SEEN: list[events.Event] = []
FAIL = {"on": False}


def _collect(batch):
    if FAIL["on"]:
        raise RuntimeError("handler down 4c4c")
    SEEN.extend(batch)


COLLECTOR = dispatch.Consumer(
    name="test-collector",
    events=frozenset({events.CaseChanged, events.AgendaItemsChanged}),
    handle=_collect,
)
CONSUMERS = (COLLECTOR,)


@pytest.fixture
def collector(settings):
    settings.SEKRETARIAT_EVENT_CONSUMERS = "sekretariat.core.tests.test_dispatch.CONSUMERS"
    # The collector starts where the log's ids are now (on PostgreSQL the ids of the tests
    # before, rolled back, are used up: from 0 they would be a gap younger than GAP_GRACE).
    marker = AuditEvent.objects.create(action="marker", object_type="test", object_id="0")
    dispatch.position_set("test-collector", marker.pk)
    marker.delete()
    SEEN.clear()
    FAIL["on"] = False
    yield SEEN
    SEEN.clear()


def _record(event, action="test_action"):
    with transaction.atomic():
        return event_record(event, actor=None, action=action, note="7f3a")


def test_every_event_class_round_trips_through_the_log():
    for cls in events.EVENT_TYPES.values():
        values = {}
        for field in dataclasses.fields(cls):
            values[field.name] = (
                (3, 5) if "tuple" in str(field.type) else ("x7f3a" if field.type == "str" else 42)
            )
        event = cls(**values)
        assert cls.from_payload(event.payload()) == event
        assert events.EVENT_TYPES[cls.name] is cls


@pytest.mark.django_db
def test_a_recorded_event_is_an_audit_row_read_back_typed():
    row = _record(events.AgendaItemsChanged(meeting_id=7, item_ids=(3, 9)), "agenda_item_add")
    row = AuditEvent.objects.get(pk=row.pk)
    assert (row.action, row.event, row.object_type, row.object_id) == (
        "agenda_item_add",
        "agenda_items_changed",
        "meetings.meeting",
        "7",
    )
    assert row.data["details"] == {"note": "7f3a"}
    assert dispatch.event_from_row(row) == events.AgendaItemsChanged(meeting_id=7, item_ids=(3, 9))


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        event_record(events.CaseChanged(case_id=1), actor=None, action="x")


@pytest.mark.django_db
def test_a_consumer_gets_only_its_events_in_order_and_keeps_its_position(collector):
    _record(events.CaseChanged(case_id=1))
    _record(events.BodyChanged(body_id=2))  # not wanted by the collector
    _record(events.AgendaItemsChanged(meeting_id=3, item_ids=(4,)))
    assert dispatch.consumer_catch_up(COLLECTOR) == 3
    assert collector == [
        events.CaseChanged(case_id=1),
        events.AgendaItemsChanged(meeting_id=3, item_ids=(4,)),
    ]
    assert dispatch.position_of("test-collector") == dispatch.latest_event_id()
    assert dispatch.consumer_catch_up(COLLECTOR) == 0
    assert len(collector) == 2


@pytest.mark.django_db
def test_a_failing_handler_loses_nothing_and_the_next_round_resumes(collector):
    _record(events.CaseChanged(case_id=11))
    dispatch.consumer_catch_up(COLLECTOR)
    before = dispatch.position_of("test-collector")
    _record(events.CaseChanged(case_id=12))
    FAIL["on"] = True
    with pytest.raises(RuntimeError):
        dispatch.consumer_catch_up(COLLECTOR)
    assert dispatch.position_of("test-collector") == before
    # catch_up_all logs the failure and goes on with the other consumers.
    assert dispatch.catch_up_all() == 0
    FAIL["on"] = False
    assert dispatch.catch_up_all() == 1
    assert collector[-1] == events.CaseChanged(case_id=12)


@pytest.mark.django_db(transaction=True)
def test_the_failure_is_kept_on_the_position_after_its_rollback(collector):
    FAIL["on"] = True
    _record(events.CaseChanged(case_id=21))  # handled inline after the commit: it fails
    position = EventConsumerPosition.objects.get(consumer="test-collector")
    assert "handler down 4c4c" in position.last_error and position.failed_at
    FAIL["on"] = False
    dispatch.catch_up_all()
    position.refresh_from_db()
    assert position.last_error == "" and collector == [events.CaseChanged(case_id=21)]


@pytest.mark.django_db(transaction=True)
def test_inline_handling_runs_after_the_commit_once_per_transaction(collector, settings):
    settings.SEKRETARIAT_EVENT_HANDLING = dispatch.INLINE
    with transaction.atomic():
        event_record(events.CaseChanged(case_id=31), actor=None, action="a")
        event_record(events.CaseChanged(case_id=32), actor=None, action="b")
        assert collector == []  # not before the commit
    assert collector == [events.CaseChanged(case_id=31), events.CaseChanged(case_id=32)]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_announces_nothing(collector):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        event_record(events.CaseChanged(case_id=41), actor=None, action="a")
        1 / 0  # noqa: B018
    _record(events.CaseChanged(case_id=42))
    assert collector == [events.CaseChanged(case_id=42)]


@pytest.mark.django_db(transaction=True)
def test_worker_mode_leaves_the_events_to_the_worker(collector, settings):
    from django.core.management import call_command

    settings.SEKRETARIAT_EVENT_HANDLING = dispatch.WORKER
    _record(events.CaseChanged(case_id=51))
    assert collector == []
    call_command("worker", "--once", "--no-periodic")
    assert collector == [events.CaseChanged(case_id=51)]


def test_the_position_waits_at_a_young_gap_in_event_ids():
    import datetime

    now = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    rows = [SimpleNamespace(pk=11, occurred_at=now), SimpleNamespace(pk=13, occurred_at=now)]
    assert dispatch._new_position(10, rows, now) == 11
    assert dispatch._new_position(10, rows, now + dispatch.GAP_GRACE * 2) == 13
