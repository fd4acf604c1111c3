"""Writes of the secretariat's meeting work: agendas, items, attachments, attendance, minutes.

Every function here runs in one transaction, checks its rules and raises ApplicationError with a
Danish message (through gettext) when one is broken. Views, admin actions, commands and importers
call these; none re-implements a rule.
"""

import datetime
import hashlib
import mimetypes
import re
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from sekretariat.bodies.models import Body, Person
from sekretariat.cases.services import case_for_journal_number
from sekretariat.core.errors import ApplicationError, ConcurrentEditError
from sekretariat.core.services import audit_record

from .models import (
    Access,
    AgendaItem,
    Attachment,
    Attendance,
    ItemSection,
    Meeting,
    MinutesCorrection,
    SectionType,
)

DEFAULT_SECTIONS = [
    ("Resumé", SectionType.Role.SUMMARY),
    ("Indstilling", SectionType.Role.RECOMMENDATION),
    ("Sagsfremstilling", SectionType.Role.PRESENTATION),
    ("Beslutning", SectionType.Role.DECISION),
]

# Standing items: (title, kind, placed first or last on the agenda).
STANDING_ITEMS = [
    ("Godkendelse af dagsorden", AgendaItem.Kind.DECISION, "first"),
    ("Godkendelse af referat", AgendaItem.Kind.DECISION, "first"),
    ("Eventuelt", AgendaItem.Kind.INFORMATION, "last"),
]

_KIND_BY_TITLE = [
    (re.compile(r"^(godkendelse|beslutning|valg|udpegning|vedtagelse)\b", re.I), "beslutning"),
    (re.compile(r"^(drøftelse|drøft|status og drøftelse|debat)\b", re.I), "droeftelse"),
    (re.compile(r"^(orientering|meddelelser|nyt fra|eventuelt|status)\b", re.I), "orientering"),
]


def item_kind_from_title(title: str) -> str | None:
    """The item kind that a conventional title announces ('Godkendelse af …' → decision)."""
    for pattern, kind in _KIND_BY_TITLE:
        if pattern.search(title.strip()):
            return kind
    return None


# --- section templates -----------------------------------------------------------------------


@transaction.atomic
def section_template_ensure(body: Body) -> list[SectionType]:
    """The body's section template; the four usual sections are created when it has none."""
    types = list(body.section_types.order_by("position", "id"))
    if types:
        return types
    return [
        SectionType.objects.create(body=body, name=name, role=role, position=i)
        for i, (name, role) in enumerate(DEFAULT_SECTIONS)
    ]


def _decision_type(body: Body) -> SectionType:
    for st in section_template_ensure(body):
        if st.is_decision:
            return st
    raise ApplicationError(_("The body's section template has no decision section."))


# --- meetings -------------------------------------------------------------------------------


def _check_times(starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    if ends_at <= starts_at:
        raise ApplicationError(_("The meeting must end after it starts."), field="ends_at")


@transaction.atomic
def meeting_create(
    *,
    body: Body,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    location: str = "",
    is_virtual: bool = False,
    title: str = "",
    with_standing_items: bool = False,
    actor=None,
) -> Meeting:
    _check_times(starts_at, ends_at)
    meeting = Meeting.objects.create(
        body=body,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location or body.default_location,
        is_virtual=is_virtual,
        title=title,
    )
    section_template_ensure(body)
    if with_standing_items:
        agenda_standing_items_add(meeting=meeting, actor=actor)
    audit_record(actor=actor, action="meeting_create", obj=meeting)
    return meeting


@transaction.atomic
def meeting_plan_create(
    *,
    body: Body,
    dates: Iterable[datetime.date],
    start_time: datetime.time,
    duration_minutes: int,
    location: str = "",
    actor=None,
) -> list[Meeting]:
    """A year's meeting plan: one planned meeting on each date (dates already planned are kept)."""
    if duration_minutes <= 0:
        raise ApplicationError(_("The duration must be positive."), field="duration_minutes")
    tz = timezone.get_current_timezone()
    existing = {
        timezone.localtime(m.starts_at).date()
        for m in Meeting.objects.filter(body=body).only("starts_at")
    }
    created = []
    for day in sorted(set(dates)):
        if day in existing:
            continue
        starts = datetime.datetime.combine(day, start_time, tzinfo=tz)
        created.append(
            meeting_create(
                body=body,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(minutes=duration_minutes),
                location=location,
                with_standing_items=True,
                actor=actor,
            )
        )
    return created


def _lock_meeting(meeting: Meeting) -> Meeting:
    """Re-read the meeting inside the transaction, locking its row where the database can."""
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _refuse_if_locked(meeting: Meeting) -> None:
    if meeting.minutes_locked:
        raise ApplicationError(
            _("The minutes are approved and locked; record a correction instead.")
        )
    if meeting.status == Meeting.Status.CANCELLED:
        raise ApplicationError(_("The meeting is cancelled."))


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    expected_version: int,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    location: str,
    is_virtual: bool,
    title: str = "",
    actor=None,
) -> Meeting:
    meeting = _lock_meeting(meeting)
    _refuse_if_locked(meeting)
    _check_times(starts_at, ends_at)
    updated = Meeting.objects.filter(pk=meeting.pk, version=expected_version).update(
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        is_virtual=is_virtual,
        title=title,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if not updated:
        raise ConcurrentEditError(
            _("Someone else changed this meeting while you were editing. Reload and try again.")
        )
    audit_record(actor=actor, action="meeting_update", obj=meeting)
    meeting.refresh_from_db()
    return meeting


_TRANSITIONS = {
    "publish": ({Meeting.Status.PLANNED}, Meeting.Status.AGENDA_PUBLISHED),
    "hold": ({Meeting.Status.AGENDA_PUBLISHED}, Meeting.Status.HELD),
    "approve": ({Meeting.Status.HELD}, Meeting.Status.MINUTES_APPROVED),
    "cancel": ({Meeting.Status.PLANNED, Meeting.Status.AGENDA_PUBLISHED}, Meeting.Status.CANCELLED),
}


def _transition(meeting: Meeting, action: str, actor) -> Meeting:
    meeting = _lock_meeting(meeting)
    allowed_from, target = _TRANSITIONS[action]
    if meeting.status not in allowed_from:
        raise ApplicationError(
            _("This cannot be done while the meeting is '%(status)s'.")
            % {"status": meeting.get_status_display()}
        )
    meeting.status = target
    meeting.version += 1
    return meeting


@transaction.atomic
def agenda_publish(*, meeting: Meeting, actor=None) -> Meeting:
    meeting = _transition(meeting, "publish", actor)
    if not meeting.agenda_items.exists():
        raise ApplicationError(_("An agenda with no items cannot be published."))
    meeting.agenda_published_at = timezone.now()
    meeting.save()
    audit_record(actor=actor, action="agenda_publish", obj=meeting)
    return meeting


@transaction.atomic
def meeting_mark_held(*, meeting: Meeting, actor=None) -> Meeting:
    meeting = _transition(meeting, "hold", actor)
    meeting.save()
    audit_record(actor=actor, action="meeting_hold", obj=meeting)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, actor=None) -> Meeting:
    meeting = _transition(meeting, "cancel", actor)
    meeting.save()
    audit_record(actor=actor, action="meeting_cancel", obj=meeting)
    return meeting


@transaction.atomic
def minutes_approve(*, meeting: Meeting, actor=None) -> Meeting:
    meeting = _transition(meeting, "approve", actor)
    meeting.minutes_approved_at = timezone.now()
    meeting.minutes_approved_by = actor if getattr(actor, "is_authenticated", False) else None
    meeting.save()
    audit_record(actor=actor, action="minutes_approve", obj=meeting)
    return meeting


# --- agenda items ---------------------------------------------------------------------------


def _next_position(meeting: Meeting) -> int:
    return (meeting.agenda_items.aggregate(m=Max("position"))["m"] or 0) + 1


def _next_number(meeting: Meeting) -> str:
    numbers = [int(n) for n in meeting.agenda_items.values_list("number", flat=True) if n.isdigit()]
    return str(max(numbers, default=0) + 1)


def _check_number_free(meeting: Meeting, number: str, *, exclude_pk: int | None = None) -> None:
    qs = meeting.agenda_items.filter(number=number)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise ApplicationError(
            _("Item number %(number)s is already used on this agenda.") % {"number": number},
            field="number",
        )


def _write_sections(item: AgendaItem, sections: Mapping[int, str], *, allow_decision: bool) -> None:
    types = {st.pk: st for st in section_template_ensure(item.meeting.body)}
    existing = {s.section_type_id: s for s in item.sections.all()}
    for type_id, text in sections.items():
        st = types.get(int(type_id))
        if st is None:
            raise ApplicationError(_("Unknown section."))
        text = (text or "").strip()
        current = existing.get(st.pk)
        if st.is_decision and not allow_decision and text != (current.text if current else ""):
            raise ApplicationError(
                _("The minutes are approved and locked; record a correction instead.")
            )
        if current is None:
            if text:
                ItemSection.objects.create(item=item, section_type=st, text=text)
        elif current.text != text:
            current.text = text
            current.save(update_fields=["text", "updated_at"])


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    title: str,
    kind: str | None = None,
    access: str = Access.OPEN,
    public_title: str = "",
    number: str | None = None,
    presenter: str = "",
    timeframe_minutes: int | None = None,
    journal_number: str = "",
    case_officer: str = "",
    is_standing: bool = False,
    sections: Mapping[int, str] | None = None,
    position: int | None = None,
    actor=None,
) -> AgendaItem:
    meeting = _lock_meeting(meeting)
    _refuse_if_locked(meeting)
    title = title.strip()
    if not title:
        raise ApplicationError(_("The item needs a title."), field="title")
    number = (number or "").strip() or _next_number(meeting)
    _check_number_free(meeting, number)
    if position is None:
        position = _next_position(meeting)
    else:
        meeting.agenda_items.filter(position__gte=position).update(position=F("position") + 1)
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=position,
        number=number,
        title=title,
        kind=kind or item_kind_from_title(title) or AgendaItem.Kind.DECISION,
        access=access,
        public_title=public_title,
        presenter=presenter,
        timeframe_minutes=timeframe_minutes,
        journal_number=journal_number.strip(),
        case_officer=case_officer.strip(),
        is_standing=is_standing,
        case=case_for_journal_number(journal_number=journal_number, title=title),
    )
    if sections:
        _write_sections(item, sections, allow_decision=True)
    audit_record(actor=actor, action="agenda_item_add", obj=item)
    return item


ITEM_FIELDS = (
    "number",
    "title",
    "kind",
    "access",
    "public_title",
    "presenter",
    "timeframe_minutes",
    "journal_number",
    "case_officer",
)


@transaction.atomic
def agenda_item_update(
    *,
    item: AgendaItem,
    expected_version: int,
    fields: Mapping[str, object],
    sections: Mapping[int, str] | None = None,
    actor=None,
) -> AgendaItem:
    """Change an item; refused when someone else saved it since `expected_version` was read."""
    meeting = _lock_meeting(item.meeting)
    _refuse_if_locked(meeting)
    changes = {k: v for k, v in fields.items() if k in ITEM_FIELDS}
    if "title" in changes and not str(changes["title"]).strip():
        raise ApplicationError(_("The item needs a title."), field="title")
    if "number" in changes:
        changes["number"] = str(changes["number"]).strip()
        _check_number_free(meeting, changes["number"], exclude_pk=item.pk)
    if "journal_number" in changes:
        changes["journal_number"] = str(changes["journal_number"] or "").strip()
        changes["case"] = case_for_journal_number(
            journal_number=changes["journal_number"], title=str(changes.get("title", item.title))
        )
    updated = AgendaItem.objects.filter(pk=item.pk, version=expected_version).update(
        **changes, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise ConcurrentEditError(
            _(
                "Someone else saved this item while you were editing it. "
                "Your changes were not saved: reload the item and make them again."
            )
        )
    item = AgendaItem.objects.select_related("meeting__body").get(pk=item.pk)
    if sections is not None:
        _write_sections(item, sections, allow_decision=True)
    audit_record(actor=actor, action="agenda_item_update", obj=item, fields=sorted(changes))
    return item


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem, actor=None) -> None:
    meeting = _lock_meeting(item.meeting)
    _refuse_if_locked(meeting)
    if meeting.status != Meeting.Status.PLANNED:
        raise ApplicationError(_("Items cannot be removed once the agenda is published."))
    audit_record(actor=actor, action="agenda_item_delete", obj=item, title=item.title)
    item.delete()
    _compact_positions(meeting)


def _compact_positions(meeting: Meeting) -> None:
    for pos, item in enumerate(meeting.agenda_items.order_by("position", "id"), start=1):
        if item.position != pos:
            AgendaItem.objects.filter(pk=item.pk).update(position=pos)


@transaction.atomic
def agenda_items_reorder(*, meeting: Meeting, item_ids: list[int], actor=None) -> None:
    """Put the items in the given order (every item of the meeting exactly once)."""
    meeting = _lock_meeting(meeting)
    _refuse_if_locked(meeting)
    current = set(meeting.agenda_items.values_list("id", flat=True))
    if set(item_ids) != current or len(item_ids) != len(current):
        raise ApplicationError(_("The new order must list every item of the agenda once."))
    for pos, pk in enumerate(item_ids, start=1):
        AgendaItem.objects.filter(pk=pk).update(position=pos)
    audit_record(actor=actor, action="agenda_reorder", obj=meeting, order=item_ids)


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, offset: int, actor=None) -> None:
    """Move an item up (offset -1) or down (+1) one place."""
    ids = list(item.meeting.agenda_items.order_by("position", "id").values_list("id", flat=True))
    i = ids.index(item.pk)
    j = max(0, min(len(ids) - 1, i + offset))
    if i == j:
        return
    ids[i], ids[j] = ids[j], ids[i]
    agenda_items_reorder(meeting=item.meeting, item_ids=ids, actor=actor)


@transaction.atomic
def agenda_renumber(*, meeting: Meeting, actor=None) -> None:
    """Number the items 1, 2, 3 … in their agenda order."""
    meeting = _lock_meeting(meeting)
    _refuse_if_locked(meeting)
    items = list(meeting.agenda_items.order_by("position", "id"))
    # Two passes keep the unique (meeting, number) constraint satisfied at every step.
    for item in items:
        AgendaItem.objects.filter(pk=item.pk).update(number=f"tmp-{item.pk}")
    for pos, item in enumerate(items, start=1):
        AgendaItem.objects.filter(pk=item.pk).update(
            number=str(pos), position=pos, version=F("version") + 1
        )
    audit_record(actor=actor, action="agenda_renumber", obj=meeting)


@transaction.atomic
def agenda_standing_items_add(*, meeting: Meeting, actor=None) -> list[AgendaItem]:
    """Add the standing items the agenda lacks: approvals first, 'Eventuelt' last."""
    present = {t.lower() for t in meeting.agenda_items.values_list("title", flat=True)}
    added = []
    first = [s for s in STANDING_ITEMS if s[2] == "first" and s[0].lower() not in present]
    for offset, (title, kind, _where) in enumerate(first, start=1):
        added.append(
            agenda_item_add(
                meeting=meeting,
                title=title,
                kind=kind,
                is_standing=True,
                position=offset,
                number=f"s{offset}-{meeting.pk}",
                actor=actor,
            )
        )
    for title, kind, where in STANDING_ITEMS:
        if where == "last" and title.lower() not in present:
            added.append(
                agenda_item_add(
                    meeting=meeting,
                    title=title,
                    kind=kind,
                    is_standing=True,
                    number=f"s9-{meeting.pk}",
                    actor=actor,
                )
            )
    if added:
        agenda_renumber(meeting=meeting, actor=actor)
    return added


# --- attachments ----------------------------------------------------------------------------


def _hash_file(f: File) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    for chunk in f.chunks():
        digest.update(chunk)
        size += len(chunk)
    f.seek(0)
    return digest.hexdigest(), size


def attachment_add(
    *,
    item: AgendaItem,
    file: File,
    title: str = "",
    access: str = Access.OPEN,
    actor=None,
) -> Attachment:
    """Store a file as an attachment of `item`. A file over the size limit is refused unread."""
    limit = settings.MAX_ATTACHMENT_BYTES
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise ApplicationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            field="file",
        )
    if size == 0:
        raise ApplicationError(_("The file is empty."), field="file")
    sha256, size = _hash_file(file)
    name = getattr(file, "name", "") or "bilag"
    attachment = Attachment(
        item=item,
        title=(title or name.rsplit("/", 1)[-1]).strip()[:300],
        sha256=sha256,
        size_bytes=size,
        content_type=getattr(file, "content_type", None)
        or mimetypes.guess_type(name)[0]
        or "application/octet-stream",
        access=access,
    )
    saved_name = None
    try:
        with transaction.atomic():
            meeting = _lock_meeting(item.meeting)
            _refuse_if_locked(meeting)
            attachment.position = item.attachments.count() + 1
            attachment.file.save(name.rsplit("/", 1)[-1], file, save=False)
            saved_name = attachment.file.name
            attachment.save()
            audit_record(actor=actor, action="attachment_add", obj=attachment, sha256=sha256)
    except Exception:
        # The row was rolled back: remove the stored file too, unless another row uses it.
        if saved_name and not Attachment.objects.filter(file=saved_name).exists():
            attachment.file.storage.delete(saved_name)
        raise
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, actor=None) -> None:
    meeting = _lock_meeting(attachment.item.meeting)
    _refuse_if_locked(meeting)
    name = attachment.file.name
    storage = attachment.file.storage
    audit_record(actor=actor, action="attachment_delete", obj=attachment, title=attachment.title)
    attachment.delete()

    def _delete_file() -> None:
        if not Attachment.objects.filter(file=name).exists():
            storage.delete(name)

    transaction.on_commit(_delete_file)


# --- attendance and minutes -----------------------------------------------------------------


@transaction.atomic
def attendance_set(
    *, meeting: Meeting, person: Person, role: str, note: str = "", actor=None
) -> Attendance:
    meeting = _lock_meeting(meeting)
    _refuse_if_locked(meeting)
    attendance, _created = Attendance.objects.update_or_create(
        meeting=meeting, person=person, defaults={"role": role, "note": note}
    )
    audit_record(actor=actor, action="attendance_set", obj=attendance, role=role)
    return attendance


@transaction.atomic
def attendance_remove(*, meeting: Meeting, person: Person, actor=None) -> None:
    meeting = _lock_meeting(meeting)
    _refuse_if_locked(meeting)
    Attendance.objects.filter(meeting=meeting, person=person).delete()


@transaction.atomic
def decision_record(
    *, item: AgendaItem, text: str, expected_version: int | None = None, actor=None
) -> ItemSection | None:
    """Write the decision (Beslutning) of an item; refused once the minutes are approved."""
    meeting = _lock_meeting(item.meeting)
    _refuse_if_locked(meeting)
    if meeting.status == Meeting.Status.PLANNED:
        raise ApplicationError(_("Decisions can be recorded once the agenda is published."))
    if expected_version is not None:
        updated = AgendaItem.objects.filter(pk=item.pk, version=expected_version).update(
            version=F("version") + 1, updated_at=timezone.now()
        )
        if not updated:
            raise ConcurrentEditError(
                _(
                    "Someone else saved this item while you were editing it. "
                    "Your changes were not saved: reload the item and make them again."
                )
            )
    st = _decision_type(meeting.body)
    text = (text or "").strip()
    section = ItemSection.objects.filter(item=item, section_type=st).first()
    if section is None and text:
        section = ItemSection.objects.create(item=item, section_type=st, text=text)
    elif section is not None:
        section.text = text
        section.save(update_fields=["text", "updated_at"])
    audit_record(actor=actor, action="decision_record", obj=item)
    return section


@transaction.atomic
def minutes_correct(
    *, item: AgendaItem, new_text: str, reason: str, actor=None
) -> MinutesCorrection:
    """Change the decision of approved minutes; the old text and the reason are kept."""
    meeting = _lock_meeting(item.meeting)
    if not meeting.minutes_locked:
        raise ApplicationError(_("The minutes are not approved yet; edit the decision directly."))
    if not reason.strip():
        raise ApplicationError(_("A correction needs a reason."), field="reason")
    st = _decision_type(meeting.body)
    section, _created = ItemSection.objects.get_or_create(item=item, section_type=st)
    if section.text == new_text.strip():
        raise ApplicationError(_("The correction does not change the text."), field="new_text")
    correction = MinutesCorrection.objects.create(
        item=item,
        section_type=st,
        previous_text=section.text,
        new_text=new_text.strip(),
        reason=reason.strip(),
        corrected_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    section.text = new_text.strip()
    section.save(update_fields=["text", "updated_at"])
    audit_record(actor=actor, action="minutes_correct", obj=item, correction=correction.pk)
    return correction


def integrity_message(exc: IntegrityError) -> str:
    return _("The change conflicts with data saved at the same time. Reload and try again.")
