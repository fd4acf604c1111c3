"""Indlæsning: load a parsed meeting document into the database, one transaction per file.

`document_import` turns a `ParsedDocument` into a body's meeting, its items, sections, attendance
and attachments. The same file twice changes nothing (its content hash is kept); a newer document
of the same meeting (body and date, and start time where it tells them apart) updates it, and
whatever the secretariat changed by hand wins over the document:

- items added by hand are kept, in their place after the item they followed;
- a field or section whose text differs from what the last import wrote was edited by hand: it is
  kept and a warning says so;
- attachments uploaded by hand are never touched;
- a closed item stays closed whatever a later document says.

How: the loader (`loader.py`) finds the body and the meeting, the pure planner (`planner/`)
decides what the document changes, and `meetings.services.agenda_merge` writes it (the same
writer as the screens': items in their cases, files in the store of `core.files`, people through
`bodies.services`); this module writes only what ingest itself keeps (`ImportedFile`,
`ImportedItem`). Approved, locked minutes are compared with the plan and never merged.

`file_import` is the whole path for one file (hash, parse, load) and never raises for a bad file:
it returns a failed `ImportResult` with a one-line Danish reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sekretariat.bodies.models import Body, Organisation
from sekretariat.bodies.services import body_create, organisation_find_or_create
from sekretariat.core import events
from sekretariat.core.errors import ApplicationError
from sekretariat.core.files import content_sha256, stored_files_discard_on_rollback
from sekretariat.core.services import event_record

from . import selectors
from .documents import source_text
from .loader import ImportResult, ItemRecord, Loaded, Loader, Outcome
from .models import ImportedFile, ImportedItem
from .parsers import MAX_BYTES, ParsedDocument, ParseError, parse_bytes

BODY_KIND_WORDS = [
    ("kkr", Body.Kind.KKR),
    ("kommunekontaktråd", Body.Kind.KKR),
    ("direktørkreds", Body.Kind.DIRECTOR_CIRCLE),
    ("direktørforum", Body.Kind.DIRECTOR_CIRCLE),
    ("forretningsudvalg", Body.Kind.EXECUTIVE_COMMITTEE),
    ("sundhedssamarbejdsudvalg", Body.Kind.HEALTH_COUNCIL),
    ("styregruppe", Body.Kind.STEERING_GROUP),
    ("arbejdsgruppe", Body.Kind.WORKING_GROUP),
    ("klynge", Body.Kind.HEALTH_CLUSTER),
    ("direktion", Body.Kind.EXECUTIVE_BOARD),
]
ORGANISATION_KIND_WORDS = [
    ("kommune", Organisation.Kind.MUNICIPALITY),
    ("region", Organisation.Kind.REGION),
    ("kkr", Organisation.Kind.KKR),
]


def content_hash(data: bytes) -> str:
    return content_sha256(data)


# --- one file, end to end -------------------------------------------------------------------


def file_import(
    data: bytes,
    filename: str,
    *,
    body: Body | None = None,
    create_bodies: bool = False,
    attachment_files: Mapping[str, Path] | None = None,
    parsed: ParsedDocument | None = None,
    max_bytes: int = MAX_BYTES,
    actor=None,
) -> ImportResult:
    """Hash, parse and load one file; a bad file gives a failed result, never an exception."""
    name = Path(filename).name or filename
    sha256 = content_hash(data)
    done = selectors.imported_file_done(sha256)
    if done is not None:
        return ImportResult(
            name, Outcome.UNCHANGED, done.meeting_id, _("already imported (same content)")
        )
    if parsed is None:
        try:
            parsed = parse_bytes(data, name, max_bytes=max_bytes)
        except ParseError as err:
            return ImportResult(name, Outcome.FAILED, message=str(err))
    return parsed_import(
        parsed,
        source_name=name,
        content_sha256=sha256,
        body=body,
        create_bodies=create_bodies,
        attachment_files=attachment_files,
        actor=actor,
    )


def parsed_import(parsed: ParsedDocument, *, source_name: str, **kwargs) -> ImportResult:
    """`document_import`, with a refusal turned into a failed result ('name: reason.')."""
    try:
        return document_import(parsed, source_name=source_name, **kwargs)
    except ApplicationError as err:
        return ImportResult(source_name, Outcome.FAILED, message=f"{source_name}: {err.message}")


def document_import(
    parsed: ParsedDocument,
    *,
    source_name: str,
    content_sha256: str,
    body: Body | None = None,
    create_bodies: bool = False,
    attachment_files: Mapping[str, Path | File] | None = None,
    actor=None,
) -> ImportResult:
    """Load one parsed document in one transaction; raises ApplicationError when refused.

    Files stored for attachments are removed again when the transaction is rolled back.
    """
    with stored_files_discard_on_rollback(), transaction.atomic():
        loader = Loader(parsed, source_name, content_sha256, actor, body_create_from_document)
        loaded = loader.run(body=body, create_bodies=create_bodies, files=attachment_files or {})
        imported_records_save(loaded)
        return loaded.result


def imported_records_save(loaded: Loaded) -> None:
    """Write what ingest records about a loaded file: its row, and what it wrote per item."""
    if loaded.file_values is None:
        return
    record = loaded.record
    if record is None:
        ImportedFile.objects.create(**loaded.file_values)
    else:
        for name, value in loaded.file_values.items():
            setattr(record, name, value)
        record.save()
    imported_items_save(loaded.item_records)


def imported_items_save(records: Sequence[ItemRecord]) -> None:
    """The items' records: new ones in one INSERT, changed ones one UPDATE each."""
    ImportedItem.objects.bulk_create(
        [
            ImportedItem(
                item_id=r.item_id,
                source_key=r.source_key,
                written=dict(r.written),
                listed_attachments=list(r.listed_attachments),
            )
            for r in records
            if not r.exists
        ]
    )
    now = timezone.now()
    for r in records:
        if r.exists:
            ImportedItem.objects.filter(item_id=r.item_id).update(
                source_key=r.source_key,
                written=dict(r.written),
                listed_attachments=list(r.listed_attachments),
                updated_at=now,
            )


# --- uploads reviewed in the web screen -----------------------------------------------------


@transaction.atomic
def upload_receive(*, data: bytes, filename: str, max_bytes: int, actor=None) -> ImportedFile:
    """Parse an uploaded file and keep it, awaiting review; refused files raise ApplicationError.

    A file already imported is refused with a message; the same file uploaded again while it
    awaits review returns the waiting upload.
    """
    name = Path(filename).name or "upload"
    sha256 = content_hash(data)
    record = ImportedFile.objects.filter(sha256=sha256).first()
    if record is not None and record.is_done and record.meeting_id:
        raise ApplicationError(
            _("%(name)s is already imported (same content).") % {"name": name}, field="file"
        )
    try:
        parsed = parse_bytes(data, name, max_bytes=max_bytes)
    except ParseError as err:
        raise ApplicationError(str(err), field="file") from err
    values = {
        "file_name": name[:300],
        "document_type": parsed.document_type,
        "parsed": parsed.to_dict(),
        "source_text": source_text(data, name),
        "status": ImportedFile.Status.PENDING,
        "warnings": list(parsed.warnings),
        "uploaded_by": actor if getattr(actor, "is_authenticated", False) else None,
        "meeting": None,
    }
    if record is None:
        record = ImportedFile.objects.create(sha256=sha256, **values)
    else:
        for key, value in values.items():
            setattr(record, key, value)
        record.save()
    event_record(
        events.UploadChanged(upload_id=record.pk, sha256=sha256),
        actor=actor,
        action="upload_receive",
    )
    return record


@transaction.atomic
def upload_discard(*, upload: ImportedFile, actor=None) -> None:
    if upload.is_done:
        raise ApplicationError(_("The file is imported already; it cannot be discarded."))
    event_record(
        events.UploadChanged(upload_id=upload.pk, sha256=upload.sha256),
        actor=actor,
        action="upload_discard",
        file=upload.file_name,
    )
    upload.delete()


# --- bodies named by documents ---------------------------------------------------------------


def _kind_from_words(name: str, table, default):
    folded = name.casefold()
    return next((kind for word, kind in table if word in folded), default)


def body_create_from_document(name: str, organisation: str | None, *, actor=None) -> Body:
    """A body named by a document that the installation did not know, its kind and its
    organisation's kind read from their names (the organisation is found by name or made).

    It has no secretariat: an administrator assigns one before staff can edit it.
    """
    org_name = (organisation or "").strip() or _("Unknown organisation")
    org = organisation_find_or_create(
        name=org_name,
        kind=_kind_from_words(org_name, ORGANISATION_KIND_WORDS, Organisation.Kind.OTHER),
        actor=actor,
    )
    return body_create(
        name=name,
        organisation=org,
        kind=_kind_from_words(name, BODY_KIND_WORDS, Body.Kind.OTHER),
        actor=actor,
    )


__all__ = [
    "ImportResult",
    "Outcome",
    "body_create_from_document",
    "content_hash",
    "document_import",
    "file_import",
    "imported_items_save",
    "imported_records_save",
    "parsed_import",
    "upload_discard",
    "upload_receive",
]
