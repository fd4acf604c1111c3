"""The work of one import: find the meeting a parsed document describes, and merge it in.

`Loader.run` does the steps of `services.document_import` inside its transaction: find the body
(or have one created) and the meeting (body and date, and start time where it tells two
meetings apart), create the meeting when there is none, take plain snapshots of it and its
items, ask the pure planner (`planner.merge_plan`) what the document changes, and hand the plan
to `meetings.services.agenda_merge`, which writes it. Approved, locked minutes are only compared
with the plan, never merged. What ingest itself records (the file and, per item, the hashes of
what the import wrote) is returned as a `Loaded` and written by `services.document_import`.
Nothing here opens a closed item.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sekretariat.bodies.models import Body
from sekretariat.core import events
from sekretariat.core.errors import ApplicationError
from sekretariat.core.files import file_digest, file_opened
from sekretariat.core.services import event_record
from sekretariat.meetings.models import Access, AgendaItem, Attendance, Meeting, SectionType
from sekretariat.meetings.services import (
    agenda_merge,
    item_kind_from_import,
    item_kind_from_title,
    meeting_create,
    section_template_ensure,
)

from . import planner, selectors
from .models import ImportedFile
from .parsers import ParsedDocument


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


@dataclass(frozen=True)
class ItemRecord:
    """What the import wrote to one item (an `ImportedItem`, new when `exists` is False)."""

    item_id: int
    source_key: str
    written: Mapping[str, str]
    listed_attachments: tuple[str, ...]
    exists: bool


@dataclass(frozen=True)
class Loaded:
    """The result, and what ingest records: the file's row (`record` is the existing one, if
    any; `file_values` None when nothing is recorded) and the items' records."""

    result: ImportResult
    record: ImportedFile | None = None
    file_values: Mapping[str, object] | None = None
    item_records: tuple[ItemRecord, ...] = ()


# The Danish wording of the planner's warnings (the messages of the loader before it).
NOTICE_TEXTS = {
    planner.NO_START_TIME: gettext_noop("The document states no start time; 09:00 is used."),
    planner.MEETING_FIELD_KEPT: gettext_noop(
        "The meeting's %(field)s was changed by hand and is kept."
    ),
    planner.ITEM_FIELD_KEPT: gettext_noop(
        "Item %(number)s: %(field)s was changed by hand and is kept."
    ),
    planner.ITEM_SECTION_KEPT: gettext_noop(
        "Item %(number)s: %(field)s was changed by hand and is kept."
    ),
    planner.NUMBER_USED_TWICE: gettext_noop(
        "Item number %(number)s is used twice; the item was given %(new)s."
    ),
}


def conventions() -> planner.Conventions:
    """The meetings app's vocabulary for the planner."""
    return planner.Conventions(
        kind_from_import=lambda kind: _plain(item_kind_from_import(kind)),
        kind_from_title=lambda title: _plain(item_kind_from_title(title)),
        default_kind=AgendaItem.Kind.DECISION.value,
        open_access=Access.OPEN.value,
        closed_access=Access.CLOSED.value,
        section_roles={
            "resume": SectionType.Role.SUMMARY.value,
            "recommendation": SectionType.Role.RECOMMENDATION.value,
            "presentation": SectionType.Role.PRESENTATION.value,
            "decision": SectionType.Role.DECISION.value,
        },
        fallback_roles=(SectionType.Role.OTHER.value, SectionType.Role.PRESENTATION.value),
        attendance_roles=(
            Attendance.Role.PARTICIPANT.value,
            Attendance.Role.ABSENT.value,
            Attendance.Role.GUEST.value,
        ),
        timezone=timezone.get_current_timezone(),
        no_title=_("(no title)"),
        attachments_label=_("Attachments"),
    )


def _plain(value: str | None) -> str | None:
    return None if value is None else str(value)


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


class Loader:
    """The work of one `document_import`: state shared by its steps, no state between files."""

    def __init__(self, parsed, source_name, sha256, actor, create_body):
        self.parsed: ParsedDocument = parsed
        self.create_body = create_body
        self.source_name = source_name
        self.sha256 = sha256
        self.actor = actor
        self.warnings: list[str] = list(parsed.warnings)

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    # ---- the steps

    def run(self, *, body, create_bodies, files) -> Loaded:
        parsed = self.parsed
        record = selectors.imported_file_get(self.sha256)
        if record is not None and record.is_done and record.meeting_id:
            return Loaded(
                ImportResult(
                    self.source_name,
                    Outcome.UNCHANGED,
                    record.meeting_id,
                    _("already imported (same content)"),
                )
            )
        _check_document(parsed)
        body = body or self._body(create_bodies)
        rules = conventions()
        types = {st.role: st for st in section_template_ensure(body)}
        day = _parse_date(parsed.meeting.date)
        meeting = self._find_meeting(body, day, planner.parse_time(parsed.meeting.start_time))
        created = meeting is None
        previous = None
        if created:
            new = planner.new_meeting(parsed, day, rules)
            meeting = meeting_create(
                body=body,
                starts_at=new.starts_at,
                ends_at=new.ends_at,
                location=new.location,
                actor=self.actor,
            )
        else:
            meeting = selectors.meeting_locked(meeting.pk)
            if meeting.status == Meeting.Status.CANCELLED:
                raise ApplicationError(
                    _("the meeting of %(body)s on %(date)s is cancelled.")
                    % {"body": body, "date": day.strftime("%d.%m.%Y")}
                )
            if meeting.minutes_locked and parsed.document_type == "agenda":
                return self._done(
                    record,
                    meeting,
                    ImportedFile.Status.SUPERSEDED,
                    Outcome.UNCHANGED,
                    _("the meeting already has approved minutes; the agenda is older."),
                )
            previous = selectors.last_import_for_meeting(meeting)
        plan = self._plan(meeting, types, rules, previous=previous, created=created, files=files)
        if meeting.minutes_locked:
            # Approved minutes are locked: another rendering of them (PDF beside DOCX, an
            # export of one item) is compared, never merged. A difference is reported, and the
            # secretariat records it as a correction if it is one.
            if plan.changes_anything:
                message = _(
                    "the minutes of the meeting on %(date)s are approved and locked, and this "
                    "file differs from them: not merged (record changes as corrections)."
                )
            else:
                message = _("the same content as the approved minutes of the meeting.")
            return self._done(
                record,
                meeting,
                ImportedFile.Status.SUPERSEDED,
                Outcome.UNCHANGED,
                message % {"date": day.strftime("%d.%m.%Y")},
            )
        for notice in plan.warnings:
            self.warn(_notice_text(notice, types))
        merged = agenda_merge(meeting=meeting, plan=plan, actor=self.actor)
        if created:
            status, outcome = ImportedFile.Status.IMPORTED, Outcome.IMPORTED
        elif merged.changed:
            status, outcome = ImportedFile.Status.UPDATED, Outcome.UPDATED
        else:
            status, outcome = ImportedFile.Status.UNCHANGED, Outcome.UNCHANGED
        if created or merged.changed:
            event_record(
                events.DocumentImported(meeting_id=meeting.pk, sha256=self.sha256, outcome=outcome),
                actor=self.actor,
                action="document_import",
                file=self.source_name,
            )
        return self._done(
            record,
            meeting,
            status,
            outcome,
            "",
            meeting_fields=plan.meeting_fields,
            item_records=_item_records(plan, merged.created_ids),
            counts=(len(merged.created_ids), merged.items_updated, merged.attachments_added),
        )

    def _plan(self, meeting, types, rules, *, previous, created, files) -> planner.MergePlan:
        """Snapshot the meeting and its items, and ask the planner what the document changes."""
        found = self._files_found(files)
        snapshot = selectors.meeting_snapshot(
            meeting,
            section_roles=tuple(types),
            written=previous.meeting_fields if previous else {},
            created=created,
            # A meeting made just now has no items and no attendance to read.
            with_attendance=not created and _names_people(self.parsed),
        )
        items = [] if created else selectors.items_snapshot(meeting, types, bool(found))
        return planner.merge_plan(self.parsed, snapshot, items, conventions=rules, files=found)

    def _done(
        self,
        record,
        meeting,
        status,
        outcome,
        message,
        *,
        meeting_fields=None,
        item_records=(),
        counts=(0, 0, 0),
    ) -> Loaded:
        values = {
            "sha256": self.sha256,
            "file_name": self.source_name[:300],
            "document_type": self.parsed.document_type,
            "parsed": self.parsed.to_dict(),
            "meeting": meeting,
            "status": status,
            "warnings": self.warnings,
            "meeting_fields": dict(meeting_fields or {}),
        }
        result = ImportResult(
            self.source_name,
            outcome,
            meeting.pk,
            message,
            self.warnings,
            *counts,
            is_note=bool(message),
        )
        return Loaded(result, record, values, tuple(item_records))

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
            candidates = [m for m in candidates if not _time_from_document(m)]
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

    def _files_found(self, files) -> dict[str, planner.AttachmentFile]:
        """The content hash of each file found for an attachment title the document lists."""
        if not files:
            return {}
        listed = {title for p in self.parsed.items for title in p.sections.attachments}
        found = {}
        for title, source in files.items():
            if title in listed:
                with file_opened(source) as file:
                    sha256, _size = file_digest(file)
                found[title] = planner.AttachmentFile(sha256, source)
        return found


def _time_from_document(meeting: Meeting) -> bool:
    previous = selectors.last_import_for_meeting(meeting)
    return previous is not None and "starts_at" in previous.meeting_fields


def _names_people(parsed: ParsedDocument) -> bool:
    m = parsed.meeting
    return bool(m.participants or m.absent or m.guests)


def _notice_text(notice: planner.Notice, types: Mapping[str, SectionType]) -> str:
    params = dict(notice.params)
    if notice.code == planner.MEETING_FIELD_KEPT:
        params["field"] = Meeting._meta.get_field(params["field"]).verbose_name
    elif notice.code == planner.ITEM_FIELD_KEPT:
        params["field"] = AgendaItem._meta.get_field(params["field"]).verbose_name
    elif notice.code == planner.ITEM_SECTION_KEPT:
        params["field"] = types[params.pop("role")].name
    return _(NOTICE_TEXTS[notice.code]) % params


def _item_records(plan: planner.MergePlan, created_ids) -> list[ItemRecord]:
    return [
        ItemRecord(
            item_id=r.item.pk if r.item.pk is not None else created_ids[r.item.new],
            source_key=r.source_key,
            written=r.written,
            listed_attachments=r.listed_attachments,
            exists=r.exists,
        )
        for r in plan.records
    ]
