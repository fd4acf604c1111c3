"""The search index becomes a consumer of the typed domain events.

Its position in the audit log moves from `SearchState.last_event_id` to the consumer positions of
`core` ('search'). The log rows it had not read yet were written before events were typed: each
is given the typed event that names the same objects (the mapping the index used to apply), so
the next catch-up handles them and nothing written before the upgrade is missed.
"""

from django.db import migrations



def _typed(row, apps):
    AgendaItem = apps.get_model("meetings", "AgendaItem")
    Attachment = apps.get_model("meetings", "Attachment")
    Appointment = apps.get_model("bodies", "Appointment")
    try:
        object_id = int(row.object_id)
    except (TypeError, ValueError):
        return None
    kind = row.object_type
    if kind == "meetings.meeting":
        return "meeting_changed", {"meeting_id": object_id}
    if kind in ("meetings.agendaitem", "meetings.minutescorrection"):
        item_id = object_id if kind == "meetings.agendaitem" else (row.data or {}).get("item")
        if not item_id:
            return None
        meeting_id = (
            AgendaItem.objects.filter(pk=item_id).values_list("meeting_id", flat=True).first()
        )
        return "agenda_items_changed", {"meeting_id": meeting_id or 0, "item_ids": [int(item_id)]}
    if kind == "meetings.attachment":
        item_id = Attachment.objects.filter(pk=object_id).values_list("item_id", flat=True).first()
        return "attachments_changed", {
            "meeting_id": 0,
            "item_id": item_id or 0,
            "attachment_ids": [object_id],
        }
    if kind == "cases.case":
        return "case_changed", {"case_id": object_id}
    if kind == "bodies.body":
        return "body_changed", {"body_id": object_id}
    if kind == "bodies.person":
        return "people_changed", {"person_ids": [object_id]}
    if kind in ("bodies.appointment", "bodies.membership"):
        appointment = (
            Appointment.objects.filter(pk=object_id).select_related("membership").first()
        )
        if appointment is None:
            return None
        m = appointment.membership
        return "membership_changed", {
            "membership_id": m.pk,
            "body_id": m.body_id,
            "person_id": m.person_id,
        }
    return None


def forwards(apps, schema_editor):
    SearchState = apps.get_model("search", "SearchState")
    Position = apps.get_model("core", "EventConsumerPosition")
    AuditEvent = apps.get_model("core", "AuditEvent")
    state = SearchState.objects.order_by("pk").first()
    if state is None:
        return  # never indexed: the first catch-up rebuilds and sets the position
    Position.objects.update_or_create(
        consumer="search", defaults={"last_event_id": state.last_event_id}
    )
    for row in AuditEvent.objects.filter(pk__gt=state.last_event_id, event="").iterator():
        typed = _typed(row, apps)
        if typed is None:
            continue
        name, payload = typed
        row.event = name
        row.data = {"event": payload, "details": row.data or {}}
        row.save(update_fields=["event", "data"])


def backwards(apps, schema_editor):
    SearchState = apps.get_model("search", "SearchState")
    Position = apps.get_model("core", "EventConsumerPosition")
    position = Position.objects.filter(consumer="search").first()
    if position is not None:
        SearchState.objects.update(last_event_id=position.last_event_id)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0008_postgres_parity_indexes"),
        ("core", "0002_events"),
        ("meetings", "0001_initial"),
        ("bodies", "0002_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="searchstate", name="last_event_id"),
    ]
