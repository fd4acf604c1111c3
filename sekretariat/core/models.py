"""Shared base model and the audit trail."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Base for every domain model: when a row was created and last changed."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """Hændelse: one recorded action (who did what to which object), written by services."""

    occurred_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    action = models.CharField(_("action"), max_length=80)
    # The typed event's stored name (`core.events`); empty on rows older than typed events.
    event = models.CharField(_("event"), max_length=60, blank=True, default="")
    object_type = models.CharField(_("object type"), max_length=80)
    object_id = models.CharField(_("object id"), max_length=40)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return (
            f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"
        )


class EventConsumerPosition(models.Model):
    """Læseposition: how far one consumer of the events (the search index, ...) has read the
    audit log. Moved forward in the same transaction as the consumer's work, so a failed or
    interrupted handler leaves it where it was, and the next catch-up resumes from it."""

    consumer = models.CharField(_("consumer"), max_length=60, unique=True)
    last_event_id = models.BigIntegerField(_("last event handled"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The last failure, kept after its transaction was rolled back (empty when the last round
    # succeeded).
    last_error = models.TextField(_("last error"), blank=True)
    failed_at = models.DateTimeField(_("failed"), null=True, blank=True)

    class Meta:
        verbose_name = _("event consumer position")
        verbose_name_plural = _("event consumer positions")

    def __str__(self) -> str:
        return f"{self.consumer}: {self.last_event_id}"
