"""Writes shared by every app: recording a domain event in the audit log."""

from django.db import transaction

from . import dispatch
from .events import Event
from .models import AuditEvent


def event_record(event: Event, *, actor, action: str, **details) -> AuditEvent:
    """Record that `actor` did `action` (the service's name), which made `event`.

    Call it inside the service's transaction: the row commits or rolls back with the change.
    `details` are kept for the audit trail only (the old title of a removed item, ...); the
    event's own fields are what consumers read. After the commit the consumers run (see
    `core.dispatch`)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("event_record must be called inside the service's transaction")
    user = actor if getattr(actor, "is_authenticated", False) else None
    row = AuditEvent.objects.create(
        actor=user,
        action=action,
        event=event.name,
        object_type=event.subject_type,
        object_id=str(event.subject_id),
        data={"event": event.payload(), **({"details": details} if details else {})},
    )
    dispatch.schedule_after_commit()
    return row
