"""The plan itself: `merge_plan`, item by item as the module docstring of `planner` says."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from ..parsers import ParsedDocument, ParsedItem
from .rules import item_key, meeting_times, minutes, name_key, parse_time, written_hash
from .values import (
    ATTACHMENT_TITLE_LENGTH,
    DEFAULT_DURATION,
    ITEM_FIELD_KEPT,
    ITEM_SECTION_KEPT,
    ITEM_TEXT_FIELDS,
    LOCATION_LENGTH,
    MEETING_FIELD_KEPT,
    NAME_LENGTH,
    NO_START_TIME,
    NUMBER_LENGTH,
    NUMBER_USED_TWICE,
    SECTION_NAMES,
    STATUS_ACTIONS,
    AttachmentAdd,
    AttachmentFile,
    AttendanceAdd,
    Conventions,
    ItemAttachments,
    ItemCreate,
    ItemSnapshot,
    ItemUpdate,
    MeetingSnapshot,
    MergePlan,
    Notice,
    RecordWrite,
    Slot,
)


def merge_plan(
    parsed: ParsedDocument,
    meeting: MeetingSnapshot,
    items: Sequence[ItemSnapshot],
    *,
    conventions: Conventions,
    files: Mapping[str, AttachmentFile] | None = None,
) -> MergePlan:
    """The plan that merges `parsed` into the meeting (see the module's rules)."""
    return _Planner(parsed, meeting, conventions, files or {}).plan(items)


# --- the planner -----------------------------------------------------------------------------


class _Planner:
    def __init__(self, parsed, meeting, conventions, files):
        self.parsed: ParsedDocument = parsed
        self.meeting: MeetingSnapshot = meeting
        self.c: Conventions = conventions
        self.files: Mapping[str, AttachmentFile] = files
        self.notices: list[Notice] = []

    def notice(self, code: str, **params: str) -> None:
        found = Notice(code, params)
        if found not in self.notices:
            self.notices.append(found)

    def plan(self, items: Sequence[ItemSnapshot]) -> MergePlan:
        day = datetime.date.fromisoformat(self.parsed.meeting.date or "")
        if self.meeting.created:
            if parse_time(self.parsed.meeting.start_time) is None:
                self.notice(NO_START_TIME)
            meeting_changes: dict[str, Any] = {}
        else:
            meeting_changes = self._meeting_changes(day)
        existing = sorted(items, key=lambda i: (i.position, i.pk))
        creates, updates, order, records, slots = self._items(existing)
        return MergePlan(
            meeting_changes=meeting_changes,
            creates=creates,
            updates=updates,
            order=order,
            attendance=self._attendance(),
            attachments=self._attachments(slots, existing),
            status_action=STATUS_ACTIONS.get(self.parsed.document_type),
            warnings=tuple(self.notices),
            records=records,
            meeting_fields=self._meeting_fields(meeting_changes),
        )

    # ---- the meeting

    def _meeting_changes(self, day: datetime.date) -> dict[str, Any]:
        m, written = self.meeting, self.meeting.written
        current = {"location": m.location, "starts_at": m.starts_at, "ends_at": m.ends_at}
        new: dict[str, Any] = {
            "location": (self.parsed.meeting.location or "")[:LOCATION_LENGTH] or None
        }
        if parse_time(self.parsed.meeting.start_time) is not None:
            new["starts_at"], new["ends_at"] = meeting_times(self.parsed, day, self.c.timezone)
        changes: dict[str, Any] = {}
        for name, value in new.items():
            if value is None or current[name] == value:
                continue
            if written_hash(current[name]) == written.get(name) or (
                name == "location" and not current[name]
            ):
                current[name] = changes[name] = value
            else:
                self.notice(MEETING_FIELD_KEPT, field=name)
        if current["ends_at"] <= current["starts_at"]:
            changes["ends_at"] = current["starts_at"] + DEFAULT_DURATION
        return changes

    def _meeting_fields(self, changes: Mapping[str, Any]) -> dict[str, str]:
        m = self.parsed.meeting
        now = {
            "location": self.meeting.location,
            "starts_at": self.meeting.starts_at,
            "ends_at": self.meeting.ends_at,
            **changes,
        }
        written = dict(self.meeting.written)
        if m.location and now["location"] == m.location[:LOCATION_LENGTH]:
            written["location"] = written_hash(now["location"])
        if m.start_time:
            written["starts_at"] = written_hash(now["starts_at"])
            written["ends_at"] = written_hash(now["ends_at"])
        return written

    # ---- items

    def _items(self, existing: list[ItemSnapshot]):
        parsed_items = self.parsed.items
        matches = self._match(existing)
        numbers = self._numbers(existing, matches)
        creates: list[dict[str, Any]] = []
        changes: dict[int, dict[str, Any]] = {}
        sections: dict[int, tuple[dict[str, str], dict[str, str]]] = {}
        versioned: set[int] = set()
        matched_records: list[RecordWrite] = []
        new_records: list[RecordWrite] = []
        slots: list[Slot] = []
        for p, item, number in zip(parsed_items, matches, numbers, strict=True):
            if item is None:
                slot = Slot(new=len(creates))
                values, written = self._new_item(p, number)
                creates.append(values)
                new_records.append(
                    RecordWrite(
                        slot, item_key(p), written, tuple(p.sections.attachments), exists=False
                    )
                )
            else:
                slot = Slot(pk=item.pk)
                written = dict(item.record.written) if item.record else {}
                fields = self._merge_item(item, p, number, written)
                new_sections, changed_sections = self._merge_sections(item, p, number, written)
                if new_sections or changed_sections:
                    sections[item.pk] = (new_sections, changed_sections)
                if fields or new_sections or changed_sections:
                    changes[item.pk] = fields
                    versioned.add(item.pk)
                record = self._record(item, p, written)
                if record is not None:
                    matched_records.append(record)
            slots.append(slot)
        order = self._order(existing, slots)
        by_pk = {item.pk: item for item in existing}
        for position, slot in enumerate(order, start=1):
            if slot.new is not None:
                creates[slot.new]["position"] = position
            elif by_pk[slot.pk].position != position:
                changes.setdefault(slot.pk, {})["position"] = position
        updates = tuple(
            ItemUpdate(
                pk=pk,
                changes=fields,
                sections_new=sections.get(pk, ({}, {}))[0],
                sections_changed=sections.get(pk, ({}, {}))[1],
                new_version=pk in versioned,
            )
            for pk, fields in changes.items()
        )
        return (
            tuple(ItemCreate(**values) for values in creates),
            updates,
            tuple(order),
            (*matched_records, *new_records),
            slots,
        )

    def _match(self, existing: list[ItemSnapshot]) -> list[ItemSnapshot | None]:
        """The existing item for each parsed item: by the import's key, then by title."""
        by_key: dict[str, ItemSnapshot] = {}
        for item in existing:
            if item.record is not None:
                by_key.setdefault(item.record.source_key, item)
        used: set[int] = set()
        result: list[ItemSnapshot | None] = []
        for p in self.parsed.items:
            item = by_key.get(item_key(p))
            if item is not None and item.pk in used:
                item = None
            if item is None:
                title = name_key(p.title)
                item = next(
                    (e for e in existing if e.pk not in used and name_key(e.title) == title), None
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
            wanted = (p.number or "").strip()[:NUMBER_LENGTH] or None
            if item is not None and (
                wanted is None or not _may_write(item, "number", item.number, _written(item))
            ):
                wanted = item.number
            if wanted is None:
                ints = [int(n) for n in taken | set(result) if n.isdigit()]
                wanted = str(max(ints, default=0) + 1)
            elif wanted in taken or wanted in result:
                base, suffix, original = wanted[: NUMBER_LENGTH - 3], 0, wanted
                while wanted in taken or wanted in result:
                    wanted = f"{base}-{suffix + 2}"
                    suffix += 1
                self.notice(NUMBER_USED_TWICE, number=original, new=wanted)
            result.append(wanted)
        return result

    def _new_item(self, p: ParsedItem, number: str) -> tuple[dict[str, Any], dict[str, str]]:
        title = p.title.strip()[: ITEM_TEXT_FIELDS["title"]] or self.c.no_title
        values: dict[str, Any] = {
            "number": number,
            "position": 0,
            "title": title,
            "kind": self.c.kind_from_import(p.kind)
            or self.c.kind_from_title(title)
            or self.c.default_kind,
            # A lukket punkt stays closed: the public sees only its number and a neutral title.
            "access": self.c.closed_access if p.closed else self.c.open_access,
            "presenter": (p.presenter or "")[: ITEM_TEXT_FIELDS["presenter"]],
            "timeframe_minutes": minutes(p.timeframe_minutes),
            "journal_number": (p.journal_number or "")[: ITEM_TEXT_FIELDS["journal_number"]],
            "case_officer": (p.case_officer or "")[: ITEM_TEXT_FIELDS["case_officer"]],
        }
        written = {
            name: written_hash(values[name])
            for name in ("number", "kind", *ITEM_TEXT_FIELDS, "timeframe_minutes")
        }
        sections: dict[str, str] = {}
        for name, text in self._section_texts(p).items():
            role = self._role_for(name)
            # Two parsed sections may fall in the same section of the body: join them.
            sections[role] = f"{sections[role]}\n\n{text}" if role in sections else text
            written[f"section:{name}"] = written_hash(text)
        values["sections"] = sections
        return values, written

    def _merge_item(self, item: ItemSnapshot, p: ParsedItem, number: str, written) -> dict:
        """The fields of `item` the document changes; `written` takes what the import wrote."""
        new_values: dict[str, Any] = {
            name: (getattr(p, name) or "").strip()[:limit] or None
            for name, limit in ITEM_TEXT_FIELDS.items()
        }
        new_values["timeframe_minutes"] = minutes(p.timeframe_minutes)
        new_values["kind"] = self.c.kind_from_import(p.kind)
        changed: dict[str, Any] = {}
        for name, value in new_values.items():
            if value is None:  # the document does not say: keep what is there
                continue
            current = getattr(item, name)
            if current != value:
                if not _may_write(item, name, current, written):
                    if name != "kind":
                        self.notice(ITEM_FIELD_KEPT, number=item.number, field=name)
                    continue
                changed[name] = value
            written[name] = written_hash(value)
        if number != item.number:
            changed["number"] = number
        if number == (p.number or "").strip()[:NUMBER_LENGTH]:
            written["number"] = written_hash(number)
        # Closing is always allowed; an import never opens a closed item.
        if p.closed and item.access != self.c.closed_access:
            changed["access"] = self.c.closed_access
        return changed

    def _merge_sections(self, item: ItemSnapshot, p: ParsedItem, number: str, written):
        """The sections the document adds to `item` and those whose text it replaces."""
        current = dict(item.sections)
        new: dict[str, str] = {}
        changed: dict[str, str] = {}
        for name, text in self._section_texts(p).items():
            role = self._role_for(name)
            key = f"section:{name}"
            if role not in current:
                current[role] = new[role] = text
            elif current[role] == text:
                pass
            elif not current[role].strip() or (
                key in written and written_hash(current[role]) == written[key]
            ):
                current[role] = text
                (new if role in new else changed)[role] = text
            else:
                self.notice(ITEM_SECTION_KEPT, number=number, role=role)
                continue
            written[key] = written_hash(text)
        return new, changed

    def _record(self, item: ItemSnapshot, p: ParsedItem, written) -> RecordWrite | None:
        """The item's record, when it is new or differs from what was loaded."""
        loaded = item.record
        listed = tuple(p.sections.attachments) or (loaded.listed_attachments if loaded else ())
        record = RecordWrite(Slot(pk=item.pk), item_key(p), written, listed, loaded is not None)
        if loaded is not None and (
            loaded.source_key,
            dict(loaded.written),
            tuple(loaded.listed_attachments),
        ) == (record.source_key, written, listed):
            return None
        return record

    def _section_texts(self, p: ParsedItem) -> dict[str, str]:
        """The item's section texts by parse name; attachments without a file become a note."""
        texts = {}
        for name in SECTION_NAMES:
            text = (getattr(p.sections, name) or "").strip()
            if text:
                texts[name] = text
        listed = [t for t in p.sections.attachments if t not in self.files]
        if listed:
            note = self.c.attachments_label + ":\n" + "\n".join(f"- {t}" for t in listed)
            texts["presentation"] = (
                f"{texts['presentation']}\n\n{note}" if texts.get("presentation") else note
            )
        return texts

    def _role_for(self, section_name: str) -> str:
        """The body's section for a parsed section; a body without it gets the text elsewhere."""
        roles = self.meeting.section_roles
        for candidate in (self.c.section_roles[section_name], *self.c.fallback_roles):
            if candidate in roles:
                return candidate
        return roles[0]

    @staticmethod
    def _order(existing: list[ItemSnapshot], slots: list[Slot]) -> list[Slot]:
        """The document's order; each item it does not list stays after the item it followed."""
        listed = {s.pk for s in slots if s.pk is not None}
        after: dict[int | None, list[Slot]] = defaultdict(list)
        anchor = None
        for item in existing:
            if item.pk in listed:
                anchor = item.pk
            else:
                after[anchor].append(Slot(pk=item.pk))
        order = list(after[None])
        for slot in slots:
            order.append(slot)
            if slot.pk is not None:
                order.extend(after[slot.pk])
        return order

    # ---- attachments and attendance

    def _attachments(self, slots: list[Slot], existing) -> tuple[ItemAttachments, ...]:
        """The files found for the attachment titles each item lists (once per content)."""
        if not self.files:
            return ()
        have_by_pk = {item.pk: item.attachment_sha256 for item in existing}
        result = []
        for slot, p in zip(slots, self.parsed.items, strict=True):
            have = set(have_by_pk.get(slot.pk, ())) if slot.pk is not None else set()
            adds = []
            for title in p.sections.attachments:
                found = self.files.get(title)
                if found is None or found.sha256 in have:
                    continue
                adds.append(
                    AttachmentAdd(title[:ATTACHMENT_TITLE_LENGTH], found.sha256, found.source)
                )
                have.add(found.sha256)
            if adds:
                result.append(ItemAttachments(slot, tuple(adds)))
        return tuple(result)

    def _attendance(self) -> tuple[AttendanceAdd, ...]:
        """People by exact name, the first role wins; those recorded already are left."""
        m = self.parsed.meeting
        wanted: dict[str, AttendanceAdd] = {}
        for role, refs in zip(
            self.c.attendance_roles, (m.participants, m.absent, m.guests), strict=True
        ):
            for ref in refs:
                name = " ".join(ref.name.split())[:NAME_LENGTH]
                if name and name not in wanted:
                    wanted[name] = AttendanceAdd(name, role, (ref.affiliation or "")[:NAME_LENGTH])
        return tuple(a for name, a in wanted.items() if name not in self.meeting.attending)


def _written(item: ItemSnapshot) -> Mapping[str, str]:
    return item.record.written if item.record is not None else {}


def _may_write(item: ItemSnapshot, name: str, current, written: Mapping[str, str]) -> bool:
    """True when the item's value is still what the last import wrote (or is empty)."""
    if name in written:
        return written_hash(current) == written[name]
    return current in ("", None)
