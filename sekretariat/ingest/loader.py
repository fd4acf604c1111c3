"""The work of one import: match a parsed document to a meeting and merge it in.

`Loader.run` does the steps of `services.document_import` inside its transaction: find the body
and the meeting (body and date, and start time where it tells two meetings apart), create or
update it, merge the items field by field and section by section (a value that no longer equals
what the last import wrote was edited by hand and is kept), add people and attendance, store
attachment files, and move the meeting's status forward. Nothing here opens a closed item.
"""

from __future__ import annotations

import datetime
import hashlib
import mimetypes
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sekretariat.bodies.models import Body, Organisation, Person
from sekretariat.core import events
from sekretariat.core.errors import ApplicationError
from sekretariat.core.services import event_record
from sekretariat.meetings.models import (
    Access,
    AgendaItem,
    Attachment,
    Attendance,
    ItemSection,
    Meeting,
    SectionType,
)
from sekretariat.meetings.services import (
    agenda_publish,
    item_kind_from_import,
    item_kind_from_title,
    meeting_create,
    section_template_ensure,
)

from . import selectors
from .models import ImportedFile, ImportedItem
from .parsers import ParsedDocument, ParsedItem

DEFAULT_START = datetime.time(9, 0)
DEFAULT_DURATION = datetime.timedelta(hours=2)

ROLE_BY_SECTION = {
    "resume": SectionType.Role.SUMMARY,
    "recommendation": SectionType.Role.RECOMMENDATION,
    "presentation": SectionType.Role.PRESENTATION,
    "decision": SectionType.Role.DECISION,
}
# Item fields the importer writes, with the model's length limit (None: not text).
ITEM_TEXT_FIELDS = {
    "title": 400,
    "presenter": 200,
    "journal_number": 60,
    "case_officer": 200,
}


class Outcome:
    IMPORTED = "imported"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FAILED = "failed"


@dataclass
class ImportResult:
    """What became of one file: its outcome, the meeting, the reason it failed, the warnings."""

    source_name: str
    outcome: str
    meeting_id: int | None = None
    message: str = ""
    warnings: list[str] = field(default_factory=list)
    items_created: int = 0
    items_updated: int = 0
    attachments_added: int = 0
    # The message says why a file that did not fail was still not merged: show it.
    is_note: bool = False

    @property
    def failed(self) -> bool:
        return self.outcome == Outcome.FAILED


def _h(value) -> str:
    """A short hash of a written value: enough to tell whether the text was changed since."""
    return hashlib.sha256(str(value).encode("utf-8")).hexdigest()[:20]


def _key(text: str | None) -> str:
    return selectors.name_key(text)


def _check_document(parsed: ParsedDocument) -> None:
    if parsed.document_type == "attachment":
        raise ApplicationError(
            _("the file is an attachment without a meeting; import it with its agenda.")
        )
    if not parsed.items:
        raise ApplicationError(_("the file describes no agenda items."))
    if not parsed.meeting.date:
        raise ApplicationError(_("the file does not state the date of the meeting."))


def _parse_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as err:
        raise ApplicationError(
            _("the meeting date '%(date)s' is not a date.") % {"date": value}
        ) from err


def _parse_time(value: str | None) -> datetime.time | None:
    if not value:
        return None
    try:
        return datetime.time.fromisoformat(value)
    except ValueError:
        return None


class _RollBack(Exception):
    """Leaves a savepoint whose writes were only a comparison."""


class Loader:
    """The work of one `document_import`: state shared by its steps, no state between files."""

    def __init__(self, parsed, source_name, sha256, actor, stored, create_body):
        self.parsed: ParsedDocument = parsed
        self.create_body = create_body
        self.source_name = source_name
        self.sha256 = sha256
        self.actor = actor
        self.stored = stored
        self.warnings: list[str] = list(parsed.warnings)
        self.changes = 0
        self.items_created = 0
        self.items_updated = 0
        self.attachments_added = 0

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    # ---- the steps

    def run(self, *, body, create_bodies, files) -> ImportResult:
        parsed = self.parsed
        record = ImportedFile.objects.filter(sha256=self.sha256).first()
        if record is not None and record.is_done and record.meeting_id:
            return ImportResult(
                self.source_name,
                Outcome.UNCHANGED,
                record.meeting_id,
                _("already imported (same content)"),
            )
        _check_document(parsed)
        body = body or self._body(create_bodies)
        self.types = {st.role: st for st in section_template_ensure(body)}
        day = _parse_date(parsed.meeting.date)
        start_time = _parse_time(parsed.meeting.start_time)
        meeting = self._find_meeting(body, day, start_time)
        created = meeting is None
        previous = None
        if created:
            meeting = self._create_meeting(body, day, start_time)
            was_locked = False
        else:
            meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
            if meeting.status == Meeting.Status.CANCELLED:
                raise ApplicationError(
                    _("the meeting of %(body)s on %(date)s is cancelled.")
                    % {"body": body, "date": day.strftime("%d.%m.%Y")}
                )
            was_locked = meeting.minutes_locked
            if was_locked and parsed.document_type == "agenda":
                return self._finish(
                    record,
                    meeting,
                    ImportedFile.Status.SUPERSEDED,
                    {},
                    Outcome.UNCHANGED,
                    _("the meeting already has approved minutes; the agenda is older."),
                )
            previous = selectors.last_import_for_meeting(meeting)
        if was_locked:
            # Approved minutes are locked: another rendering of them (PDF beside DOCX, an
            # export of one item) is compared, never merged. A difference is reported, and the
            # secretariat records it as a correction if it is one.
            if self._would_change(meeting, day, start_time, previous, files):
                message = _(
                    "the minutes of the meeting on %(date)s are approved and locked, and this "
                    "file differs from them: not merged (record changes as corrections)."
                )
            else:
                message = _("the same content as the approved minutes of the meeting.")
            return self._finish(
                record,
                meeting,
                ImportedFile.Status.SUPERSEDED,
                {},
                Outcome.UNCHANGED,
                message % {"date": day.strftime("%d.%m.%Y")},
            )
        if not created:
            self._update_meeting(meeting, day, start_time, previous)
        self._load_items(meeting, files)
        self._load_attendance(meeting)
        self._advance_status(meeting)
        meeting_fields = self._meeting_fields(meeting, previous)
        if created:
            status, outcome = ImportedFile.Status.IMPORTED, Outcome.IMPORTED
        elif self.changes:
            status, outcome = ImportedFile.Status.UPDATED, Outcome.UPDATED
        else:
            status, outcome = ImportedFile.Status.UNCHANGED, Outcome.UNCHANGED
        if self.changes or created:
            # The import wrote the meeting's items, sections and attendance itself.
            event_record(
                events.MeetingChanged(meeting_id=meeting.pk),
                actor=self.actor,
                action="document_import",
            )
            event_record(
                events.DocumentImported(meeting_id=meeting.pk, sha256=self.sha256, outcome=outcome),
                actor=self.actor,
                action="document_import",
                file=self.source_name,
            )
        return self._finish(record, meeting, status, meeting_fields, outcome, "")

    def _would_change(self, meeting, day, start_time, previous, files) -> bool:
        """Merge in a savepoint that is always rolled back; True if anything would change."""
        warnings = list(self.warnings)
        stored_before = len(self.stored)
        try:
            with transaction.atomic():
                self._update_meeting(meeting, day, start_time, previous)
                self._load_items(meeting, files)
                self._load_attendance(meeting)
                raise _RollBack
        except _RollBack:
            pass
        for name in self.stored[stored_before:]:
            if not Attachment.objects.filter(file=name).exists():
                default_storage.delete(name)
        del self.stored[stored_before:]
        would_change = bool(self.changes)
        self.changes = self.items_created = self.items_updated = self.attachments_added = 0
        self.warnings = warnings
        return would_change

    def _finish(self, record, meeting, status, meeting_fields, outcome, message) -> ImportResult:
        values = {
            "file_name": self.source_name[:300],
            "document_type": self.parsed.document_type,
            "parsed": self.parsed.to_dict(),
            "meeting": meeting,
            "status": status,
            "warnings": self.warnings,
            "meeting_fields": meeting_fields,
        }
        if record is None:
            ImportedFile.objects.create(sha256=self.sha256, **values)
        else:
            for name, value in values.items():
                setattr(record, name, value)
            record.save()
        return ImportResult(
            self.source_name,
            outcome,
            meeting.pk,
            message,
            self.warnings,
            self.items_created,
            self.items_updated,
            self.attachments_added,
            is_note=bool(message),
        )

    def _body(self, create_bodies: bool) -> Body:
        name, organisation = self.parsed.body, self.parsed.organisation
        if not name:
            raise ApplicationError(_("the file does not name the body; choose one."))
        found = selectors.body_for_document(name, organisation)
        if found is not None:
            return found
        if not create_bodies:
            raise ApplicationError(
                _("the body '%(name)s' does not exist; create it or choose another.")
                % {"name": name}
            )
        self.changes += 1
        return self.create_body(name, organisation, actor=self.actor)

    def _find_meeting(self, body, day, start_time) -> Meeting | None:
        candidates = selectors.meetings_on_date(body=body, day=day)
        if start_time is not None:
            same_time = [
                m for m in candidates if timezone.localtime(m.starts_at).time() == start_time
            ]
            if same_time:
                return same_time[0]
            # A meeting whose start time came from another document is another meeting that
            # day; one planned by hand may have had its time changed since.
            candidates = [m for m in candidates if not self._time_from_document(m)]
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            raise ApplicationError(
                _(
                    "%(body)s has %(count)d meetings on %(date)s and the file does not tell "
                    "which; import it in the web screen."
                )
                % {"body": body, "count": len(candidates), "date": day.strftime("%d.%m.%Y")}
            )
        return None

    @staticmethod
    def _time_from_document(meeting: Meeting) -> bool:
        previous = selectors.last_import_for_meeting(meeting)
        return previous is not None and "starts_at" in previous.meeting_fields

    def _times(self, day, start_time) -> tuple[datetime.datetime, datetime.datetime]:
        tz = timezone.get_current_timezone()
        if start_time is None:
            self.warn(_("The document states no start time; 09:00 is used."))
        starts = datetime.datetime.combine(day, start_time or DEFAULT_START, tzinfo=tz)
        end_time = _parse_time(self.parsed.meeting.end_time)
        ends = datetime.datetime.combine(day, end_time, tzinfo=tz) if end_time else None
        if ends is None or ends <= starts:
            ends = starts + DEFAULT_DURATION
        return starts, ends

    def _create_meeting(self, body, day, start_time) -> Meeting:
        starts, ends = self._times(day, start_time)
        self.changes += 1
        return meeting_create(
            body=body,
            starts_at=starts,
            ends_at=ends,
            location=(self.parsed.meeting.location or "")[:300],
            actor=self.actor,
        )

    def _update_meeting(self, meeting, day, start_time, previous) -> None:
        written = previous.meeting_fields if previous else {}
        new = {"location": (self.parsed.meeting.location or "")[:300] or None}
        if start_time is not None:
            starts, ends = self._times(day, start_time)
            new["starts_at"], new["ends_at"] = starts, ends
        changed = []
        for name, value in new.items():
            if value is None:
                continue
            current = getattr(meeting, name)
            if current == value:
                continue
            if _h(_field_text(current)) == written.get(name) or (
                name == "location" and not current
            ):
                setattr(meeting, name, value)
                changed.append(name)
            else:
                self.warn(
                    _("The meeting's %(field)s was changed by hand and is kept.")
                    % {"field": Meeting._meta.get_field(name).verbose_name}
                )
        if meeting.ends_at <= meeting.starts_at:
            meeting.ends_at = meeting.starts_at + DEFAULT_DURATION
            changed.append("ends_at")
        if changed:
            meeting.version += 1
            meeting.save(update_fields=[*set(changed), "version", "updated_at"])
            self.changes += 1

    def _meeting_fields(self, meeting, previous) -> dict:
        """Hashes of the meeting fields that now hold what the document says."""
        written = dict(previous.meeting_fields) if previous else {}
        m = self.parsed.meeting
        if m.location and meeting.location == m.location[:300]:
            written["location"] = _h(meeting.location)
        if m.start_time:
            written["starts_at"] = _h(_field_text(meeting.starts_at))
            written["ends_at"] = _h(_field_text(meeting.ends_at))
        return written

    # ---- items

    def _load_items(self, meeting: Meeting, files) -> None:
        self.files = files
        existing = list(
            meeting.agenda_items.select_related("import_record")
            .prefetch_related("sections")
            .order_by("position", "id")
        )
        matches = self._match(existing)
        numbers = self._numbers(existing, matches)
        now = timezone.now()
        renumber: dict[int, str] = {}
        slots: list[AgendaItem] = []
        new_items: list[tuple[AgendaItem, ParsedItem]] = []
        dirty: dict[int, tuple[AgendaItem, set[str]]] = {}
        records: list[ImportedItem] = []
        sections_new: list[ItemSection] = []
        sections_changed: list[ItemSection] = []
        for p, item, number in zip(self.parsed.items, matches, numbers, strict=True):
            if item is None:
                item = self._new_item(meeting, p, number)
                new_items.append((item, p))
            else:
                record = self._record_for(item, p)
                records.append(record)
                fields = self._merge_item(item, p, number, renumber, record)
                if self._merge_sections(item, p, record, sections_new, sections_changed):
                    fields.add("version")
                if fields:
                    item.version += 1
                    dirty[item.pk] = (item, fields | {"version"})
            slots.append(item)
        for pos, item in enumerate(self._order(existing, slots), start=1):
            if item.position != pos:
                item.position = pos
                if item.pk:
                    dirty.setdefault(item.pk, (item, set()))[1].add("position")
        # Numbers change in two passes: the unique (meeting, number) rule holds at every step.
        for pk in renumber:
            AgendaItem.objects.filter(pk=pk).update(number=f"~{pk}")
        for pk, number in renumber.items():
            AgendaItem.objects.filter(pk=pk).update(number=number)
        # One plain UPDATE per changed item: bulk_update's CASE expressions cost more in Python
        # than they save in SQLite for the handful of items a document changes.
        for pk, (item, fields) in dirty.items():
            fields.discard("number")
            AgendaItem.objects.filter(pk=pk).update(
                **{name: getattr(item, name) for name in fields}, updated_at=now
            )
        if dirty:
            self.items_updated += sum(1 for _i, fields in dirty.values() if fields != {"position"})
            self.changes += 1
        for section in sections_changed:
            ItemSection.objects.filter(pk=section.pk).update(text=section.text, updated_at=now)
        if new_items:
            AgendaItem.objects.bulk_create([item for item, _p in new_items])
            self.items_created += len(new_items)
            self.changes += 1
            for item, p in new_items:
                record = ImportedItem(
                    item=item,
                    source_key=_item_key(p),
                    written={
                        name: _h(_field_text(getattr(item, name)))
                        for name in ("number", "kind", *ITEM_TEXT_FIELDS, "timeframe_minutes")
                    },
                    listed_attachments=list(p.sections.attachments),
                )
                for name, text in self._section_texts(p).items():
                    sections_new.append(
                        ItemSection(item=item, section_type=self._type_for(name), text=text)
                    )
                    record.written[f"section:{name}"] = _h(text)
                records.append(record)
        if sections_new:
            # Two parsed sections may fall back to the same section type: join them.
            merged: dict[tuple[int, int], ItemSection] = {}
            for s in sections_new:
                key = (s.item.pk, s.section_type.pk)
                if key in merged:
                    merged[key].text += "\n\n" + s.text
                else:
                    merged[key] = s
            ItemSection.objects.bulk_create(list(merged.values()))
            self.changes += 1
        loaded = [r for r in records if r.pk is not None]
        ImportedItem.objects.bulk_create([r for r in records if r.pk is None])
        for r in loaded:
            if r.as_loaded != (r.source_key, r.written, r.listed_attachments):
                ImportedItem.objects.filter(pk=r.pk).update(
                    source_key=r.source_key,
                    written=r.written,
                    listed_attachments=r.listed_attachments,
                    updated_at=now,
                )
        if files:
            for item, p in zip(slots, self.parsed.items, strict=True):
                self._attach_files(item, p, files)

    def _match(self, existing: list[AgendaItem]) -> list[AgendaItem | None]:
        """The existing item for each parsed item: by the import's key, then by title."""
        by_key: dict[str, AgendaItem] = {}
        for item in existing:
            record = getattr(item, "import_record", None)
            if record is not None:
                by_key.setdefault(record.source_key, item)
        used: set[int] = set()
        result: list[AgendaItem | None] = []
        for p in self.parsed.items:
            item = by_key.get(_item_key(p))
            if item is not None and item.pk in used:
                item = None
            if item is None:
                title = _key(p.title)
                item = next(
                    (e for e in existing if e.pk not in used and _key(e.title) == title), None
                )
            if item is not None:
                used.add(item.pk)
            result.append(item)
        return result

    def _numbers(self, existing, matches) -> list[str]:
        """A unique number for each parsed item; items the document does not list keep theirs."""
        matched = {m.pk for m in matches if m is not None}
        taken = {e.number for e in existing if e.pk not in matched}
        result: list[str] = []
        for p, item in zip(self.parsed.items, matches, strict=True):
            wanted = (p.number or "").strip()[:20] or None
            if item is not None and (
                wanted is None or not self._may_write(item, "number", item.number)
            ):
                wanted = item.number
            if wanted is None:
                ints = [int(n) for n in taken | set(result) if n.isdigit()]
                wanted = str(max(ints, default=0) + 1)
            elif wanted in taken or wanted in result:
                base, suffix, original = wanted[:17], 0, wanted
                while wanted in taken or wanted in result:
                    wanted = f"{base}-{suffix + 2}"
                    suffix += 1
                self.warn(
                    _("Item number %(number)s is used twice; the item was given %(new)s.")
                    % {"number": original, "new": wanted}
                )
            result.append(wanted)
        return result

    @staticmethod
    def _may_write(item: AgendaItem, name: str, current) -> bool:
        """True when the item's value is still what the last import wrote (or is empty)."""
        record = getattr(item, "import_record", None)
        written = record.written if record is not None else {}
        if name in written:
            return _h(_field_text(current)) == written[name]
        return current in ("", None)

    def _new_item(self, meeting: Meeting, p: ParsedItem, number: str) -> AgendaItem:
        title = p.title.strip()[:400] or _("(no title)")
        return AgendaItem(
            meeting=meeting,
            position=0,
            number=number,
            title=title,
            kind=item_kind_from_import(p.kind)
            or item_kind_from_title(title)
            or AgendaItem.Kind.DECISION,
            # A lukket punkt stays closed: the public sees only its number and a neutral title.
            access=Access.CLOSED if p.closed else Access.OPEN,
            presenter=(p.presenter or "")[:200],
            timeframe_minutes=_minutes(p.timeframe_minutes),
            journal_number=(p.journal_number or "")[:60],
            case_officer=(p.case_officer or "")[:200],
        )

    @staticmethod
    def _record_for(item: AgendaItem, p: ParsedItem) -> ImportedItem:
        record = getattr(item, "import_record", None)
        if record is None:
            record = ImportedItem(item=item, written={})
        else:
            record.written = dict(record.written)
            record.as_loaded = (
                record.source_key,
                dict(record.written),
                list(record.listed_attachments),
            )
        record.source_key = _item_key(p)
        record.listed_attachments = list(p.sections.attachments) or record.listed_attachments
        return record

    def _merge_item(self, item, p: ParsedItem, number, renumber, record) -> set[str]:
        new_values: dict[str, object] = {
            name: (getattr(p, name) or "").strip()[:limit] or None
            for name, limit in ITEM_TEXT_FIELDS.items()
        }
        new_values["timeframe_minutes"] = _minutes(p.timeframe_minutes)
        new_values["kind"] = item_kind_from_import(p.kind)
        changed: set[str] = set()
        for name, value in new_values.items():
            if value is None:  # the document does not say: keep what is there
                continue
            current = getattr(item, name)
            if current != value:
                if not self._may_write(item, name, current):
                    if name != "kind":
                        self._hand_edit_warning(item, AgendaItem._meta.get_field(name).verbose_name)
                    continue
                setattr(item, name, value)
                changed.add(name)
            record.written[name] = _h(_field_text(value))
        if number != item.number:
            renumber[item.pk] = number
            item.number = number
            changed.add("number")
        if number == (p.number or "").strip()[:20]:
            record.written["number"] = _h(number)
        # Closing is always allowed; an import never opens a closed item.
        if p.closed and item.access != Access.CLOSED:
            item.access = Access.CLOSED
            changed.add("access")
        return changed

    def _hand_edit_warning(self, item, what) -> None:
        self.warn(
            _("Item %(number)s: %(field)s was changed by hand and is kept.")
            % {"number": item.number, "field": what}
        )

    def _section_texts(self, p: ParsedItem) -> dict[str, str]:
        """The item's section texts by parse name; attachments without a file become a note."""
        texts = {}
        for name in ROLE_BY_SECTION:
            text = (getattr(p.sections, name) or "").strip()
            if text:
                texts[name] = text
        listed = [t for t in p.sections.attachments if t not in self.files]
        if listed:
            note = _("Attachments") + ":\n" + "\n".join(f"- {t}" for t in listed)
            texts["presentation"] = (
                f"{texts['presentation']}\n\n{note}" if texts.get("presentation") else note
            )
        return texts

    def _type_for(self, section_name: str) -> SectionType:
        """The body's section for a parsed section; a body without it gets the text elsewhere."""
        role = ROLE_BY_SECTION[section_name]
        for candidate in (role, SectionType.Role.OTHER, SectionType.Role.PRESENTATION):
            if candidate in self.types:
                return self.types[candidate]
        return next(iter(self.types.values()))

    def _merge_sections(self, item, p, record, sections_new, sections_changed) -> bool:
        current = {s.section_type_id: s for s in item.sections.all()}
        changed = False
        for name, text in self._section_texts(p).items():
            st = self._type_for(name)
            key = f"section:{name}"
            section = current.get(st.pk)
            if section is None:
                section = ItemSection(item=item, section_type=st, text=text)
                current[st.pk] = section
                sections_new.append(section)
                changed = True
            elif section.text == text:
                pass
            elif not section.text.strip() or (
                key in record.written and _h(section.text) == record.written[key]
            ):
                section.text = text
                sections_changed.append(section)
                changed = True
            else:
                self._hand_edit_warning(item, st.name)
                continue
            record.written[key] = _h(text)
        return changed

    @staticmethod
    def _order(existing, slots) -> list[AgendaItem]:
        """The document's order; each item it does not list stays after the item it followed."""
        listed = {s.pk for s in slots if s.pk}
        after: dict[int | None, list[AgendaItem]] = defaultdict(list)
        anchor = None
        for item in existing:
            if item.pk in listed:
                anchor = item.pk
            else:
                after[anchor].append(item)
        order = list(after[None])
        for slot in slots:
            order.append(slot)
            if slot.pk:
                order.extend(after[slot.pk])
        return order

    def _attach_files(self, item: AgendaItem, p: ParsedItem, files) -> None:
        """Store the files found for the attachment titles the item lists (once per content)."""
        titles = [t for t in p.sections.attachments if t in files]
        if not titles:
            return
        have = set(Attachment.objects.filter(item=item).values_list("sha256", flat=True))
        position = Attachment.objects.filter(item=item).count()
        for title in titles:
            source = files[title]
            opened = open(source, "rb") if isinstance(source, str | Path) else None  # noqa: SIM115
            try:
                f = File(opened, name=Path(source).name) if opened else source
                digest, size = hashlib.sha256(), 0
                for chunk in f.chunks():
                    digest.update(chunk)
                    size += len(chunk)
                f.seek(0)
                sha256 = digest.hexdigest()
                if sha256 in have:
                    continue
                position += 1
                attachment = Attachment(
                    item=item,
                    title=title[:300],
                    sha256=sha256,
                    size_bytes=size,
                    content_type=mimetypes.guess_type(f.name)[0] or "application/octet-stream",
                    access=Access.CLOSED if item.is_closed else Access.OPEN,
                    position=position,
                )
                attachment.file.save(Path(f.name).name, f, save=False)
                self.stored.append(attachment.file.name)
                attachment.save()
                have.add(sha256)
                self.attachments_added += 1
                self.changes += 1
            finally:
                if opened:
                    opened.close()

    # ---- attendance and status

    def _load_attendance(self, meeting: Meeting) -> None:
        """People by exact name (created when missing); attendance set by hand is kept."""
        m = self.parsed.meeting
        wanted: dict[str, tuple[str, str]] = {}
        for role, refs in (
            (Attendance.Role.PARTICIPANT, m.participants),
            (Attendance.Role.ABSENT, m.absent),
            (Attendance.Role.GUEST, m.guests),
        ):
            for ref in refs:
                name = " ".join(ref.name.split())[:200]
                if name and name not in wanted:
                    wanted[name] = (role, (ref.affiliation or "")[:200])
        if not wanted:
            return
        people: dict[str, Person] = {}
        for person in Person.objects.filter(name__in=list(wanted)).order_by("id"):
            people.setdefault(person.name, person)
        missing = [name for name in wanted if name not in people]
        if missing:
            orgs = {
                o.name: o
                for o in Organisation.objects.filter(
                    name__in={wanted[n][1] for n in missing if wanted[n][1]}
                )
            }
            created = Person.objects.bulk_create(
                [Person(name=n, organisation=orgs.get(wanted[n][1])) for n in missing]
            )
            people.update({p.name: p for p in created})
            event_record(
                events.PeopleChanged(person_ids=tuple(p.pk for p in created)),
                actor=self.actor,
                action="document_import",
            )
        present = set(meeting.attendances.values_list("person_id", flat=True))
        rows = [
            Attendance(meeting=meeting, person=people[name], role=role, note=note)
            for name, (role, note) in wanted.items()
            if people[name].pk not in present
        ]
        if rows:
            Attendance.objects.bulk_create(rows)
            self.changes += 1

    def _advance_status(self, meeting: Meeting) -> None:
        """An agenda publishes a planned meeting; minutes make it an approved, locked record.

        Minutes are written straight to 'referat_godkendt' here rather than through
        meeting_mark_held and minutes_approve: an imported set of minutes is an archive of minutes
        approved outside the system, and the state machine would demand two steps that never
        happened here (and stamp the approval on the importing user). Nothing is opened: access
        of items is never lowered by this.
        """
        if self.parsed.document_type == "agenda":
            if meeting.status == Meeting.Status.PLANNED:
                agenda_publish(meeting=meeting, actor=self.actor)
                meeting.refresh_from_db()
                self.changes += 1
            return
        if self.parsed.document_type != "minutes":
            return
        if meeting.status in {
            Meeting.Status.PLANNED,
            Meeting.Status.AGENDA_PUBLISHED,
            Meeting.Status.HELD,
        }:
            now = timezone.now()
            old_status = meeting.status
            meeting.status = Meeting.Status.MINUTES_APPROVED
            meeting.agenda_published_at = meeting.agenda_published_at or now
            meeting.minutes_approved_at = now
            meeting.minutes_approved_by = None
            meeting.version += 1
            meeting.save(
                update_fields=[
                    "status",
                    "agenda_published_at",
                    "minutes_approved_at",
                    "minutes_approved_by",
                    "version",
                    "updated_at",
                ]
            )
            event_record(
                events.MeetingStatusChanged(
                    meeting_id=meeting.pk, old_status=old_status, new_status=meeting.status
                ),
                actor=self.actor,
                action="minutes_import",
            )
            self.changes += 1


def _item_key(p: ParsedItem) -> str:
    if p.number:
        return f"nr:{_key(p.number)}"[:420]
    return f"titel:{_key(p.title)}"[:420]


def _field_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    return str(value)


def _minutes(value: int | None) -> int | None:
    return value if value and 0 < value < 32768 else None
