"""Writes shared by every app: recording audit events."""

from django.db import models

from .models import AuditEvent


def audit_record(*, actor, action: str, obj: models.Model, **data) -> AuditEvent:
    """Record that `actor` did `action` to `obj`; call inside the service's transaction."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        data=data,
    )
