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
it returns a failed `ImportResult` with a one-line Danish reason. It parses in this process: it
is for files the operator hands to a command, not for uploads.

An upload from the web screen is never parsed in the web request: `upload_receive` keeps the
file, `upload_parse` reads it later in a sandboxed child process (`sandbox.py`), and the
secretariat reviews the parse before `document_import` loads it (the section on uploads below).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import OperationalError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sekretariat.bodies.models import Body, Organisation
from sekretariat.bodies.services import body_create, organisation_find_or_create
from sekretariat.core import dispatch, events
from sekretariat.core.errors import ApplicationError
from sekretariat.core.files import (
    content_sha256,
    file_release,
    file_store,
    stored_files_discard_on_rollback,
)
from sekretariat.core.services import event_record

from . import selectors
from .documents import MAX_SOURCE_CHARS, parsed_from_dict
from .loader import ImportResult, ItemRecord, Loaded, Loader, Outcome
from .models import ImportedFile, ImportedItem
from .parsers import MAX_BYTES, ParsedDocument, ParseError, parse_bytes
from .reading import (
    BackgroundReader,
    read_failure_message,
    read_limits,
    read_stale_after,
    upload_check,
)
from .sandbox import ChildResult, Failure, parse_in_child

logger = logging.getLogger(__name__)

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
        if record.source_file:
            # An upload imported by other means (the command line) before it was read.
            file_release(record.source_file.name)
            record.source_file = ""
            record.read_started_at = None
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


# --- uploads: received in the request, read outside it, reviewed in the web screen ------------
#
# The request only keeps the file (`upload_receive`: its bytes in the file store, the row
# 'received'); `upload_parse` reads it in a sandboxed child process (`sandbox.py`) with no
# transaction open while it runs, and keeps the parse ('awaiting review') or why it could not
# be read ('could not be read'). Who calls `upload_parse` follows SEKRETARIAT_EVENT_HANDLING
# (`upload_parse_dispatch`); a reading whose process died is taken up again once it is older
# than the time limit and a minute (`read_stale_after`). See docs/architecture.md, "Uploads".

UPLOAD_PARSE_TASK = "sekretariat.upload_parse"
UPLOADS_STUCK_TASK = "sekretariat.uploads_redispatch_stuck"
SAVE_ATTEMPTS = 4


def upload_receive(*, data: bytes, filename: str, max_bytes: int, actor=None) -> ImportedFile:
    """Keep an uploaded file to be read outside the request; refused files raise ApplicationError.

    The file is stored (`core.files.file_store`) and its row is 'received'; after the commit it
    is sent to be read (`upload_parse_dispatch`). A file already imported is refused with a
    message; the same file uploaded again while it is being read or awaits review returns that
    upload; one that could not be read (or whose meeting was deleted) is read again.
    """
    name = Path(filename).name or "upload"
    try:
        upload_check(data, name, max_bytes)
    except ParseError as err:
        raise ApplicationError(str(err), field="file") from err
    sha256 = content_hash(data)
    user = actor if getattr(actor, "is_authenticated", False) else None
    with stored_files_discard_on_rollback(), transaction.atomic():
        record = ImportedFile.objects.select_for_update().filter(sha256=sha256).first()
        if record is not None and record.is_done and record.meeting_id:
            raise ApplicationError(
                _("%(name)s is already imported (same content).") % {"name": name}, field="file"
            )
        if record is not None and record.status in (
            ImportedFile.Status.RECEIVED,
            ImportedFile.Status.PENDING,
        ):
            # The same file again: the upload that waits is the newest uploader's.
            record.uploaded_by = user
            record.save(update_fields=["uploaded_by", "updated_at"])
        else:
            stored = file_store(
                ContentFile(data, name=name), filename=name, actor=actor, action="upload_receive"
            )
            values = {
                "file_name": name[:300],
                "document_type": "",
                "parsed": {},
                "source_text": "",
                "status": ImportedFile.Status.RECEIVED,
                "warnings": [],
                "uploaded_by": user,
                "meeting": None,
                "source_file": stored.name,
                "read_error": "",
                "read_started_at": None,
            }
            if record is None:
                record = ImportedFile.objects.create(sha256=sha256, **values)
            else:
                previous = record.source_file.name
                for key, value in values.items():
                    setattr(record, key, value)
                record.save()
                if previous and previous != stored.name:
                    file_release(previous)
        event_record(
            events.UploadChanged(upload_id=record.pk, sha256=sha256),
            actor=actor,
            action="upload_receive",
        )
        if record.is_being_read:
            upload_id = record.pk
            transaction.on_commit(lambda: upload_parse_dispatch([upload_id]))
    return record


def upload_parse(upload_id: int, *, force: bool = False) -> ImportedFile | None:
    """Read a received upload in a sandboxed child process and keep what came of it.

    Returns the upload, now awaiting review or unreadable; None when there was nothing to do:
    the upload is not 'received' (read already, discarded) or another process began reading
    it less than `read_stale_after` ago (`force` reads it all the same). Never called inside a
    transaction: the child runs with none open, and the result is saved in a short one.
    """
    if not _upload_read_claim(upload_id, force=force):
        return None
    upload = ImportedFile.objects.filter(pk=upload_id).only("file_name", "source_file").first()
    if upload is None:
        return None
    result: ChildResult | None = None
    try:
        with default_storage.open(upload.source_file.name, "rb") as handle:
            data = handle.read()
    except (OSError, ValueError):  # ValueError: no file name at all
        logger.warning("Upload %s: its file %r is gone.", upload_id, upload.source_file.name)
    else:
        result = parse_in_child(data, upload.file_name, read_limits())
        del data
    # A reading may have taken minutes: a database busy for a moment does not throw it away.
    for attempt in range(SAVE_ATTEMPTS):
        try:
            return _upload_read_save(upload_id, result)
        except OperationalError:
            if attempt == SAVE_ATTEMPTS - 1:
                raise
            time.sleep(0.5 * (attempt + 1))
    return None


def _upload_read_claim(upload_id: int, *, force: bool) -> bool:
    """Mark the upload as being read by this process, unless another is reading it."""
    now = timezone.now()
    with transaction.atomic(durable=True):  # durable: refuses to run inside a transaction
        rows = ImportedFile.objects.filter(pk=upload_id, status=ImportedFile.Status.RECEIVED)
        if not force:
            rows = rows.filter(
                Q(read_started_at__isnull=True) | Q(read_started_at__lt=now - read_stale_after())
            )
        return rows.update(read_started_at=now) == 1


def _upload_read_save(upload_id: int, result: ChildResult | None) -> ImportedFile | None:
    with transaction.atomic(durable=True):
        upload = (
            ImportedFile.objects.select_for_update()
            .filter(pk=upload_id, status=ImportedFile.Status.RECEIVED)
            .first()
        )
        if upload is None:
            return None  # discarded meanwhile, or read by another process first
        parsed = _parsed_or_none(result)
        if parsed is not None:
            upload.status = ImportedFile.Status.PENDING
            upload.document_type = parsed.document_type
            upload.parsed = parsed.to_dict()
            upload.source_text = result.source_text[:MAX_SOURCE_CHARS]
            upload.warnings = list(parsed.warnings)
            upload.read_error = ""
        else:
            upload.status = ImportedFile.Status.UNREADABLE
            upload.read_error = read_failure_message(upload.file_name, result)
        stored = upload.source_file.name
        upload.source_file = ""
        upload.read_started_at = None
        upload.save()
        event_record(
            events.UploadChanged(upload_id=upload.pk, sha256=upload.sha256),
            actor=None,
            action="upload_parse",
            status=upload.status,
            seconds=round(result.seconds, 2) if result else None,
        )
        file_release(stored)
    if parsed is None and result is not None and result.failure != Failure.PARSE_ERROR:
        logger.warning(
            "Upload %s (%s) could not be read: %s after %.1f s (%s)",
            upload_id,
            upload.file_name,
            result.failure.value if result.failure else "no parse",
            result.seconds,
            result.detail,
        )
    return upload


def _parsed_or_none(result: ChildResult | None) -> ParsedDocument | None:
    """The child's parse read back (a malformed answer counts as a crashed reader)."""
    if result is None or not result.ok:
        return None
    try:
        return parsed_from_dict(result.parsed)
    except (TypeError, ValueError, AttributeError):
        return None


def upload_discard(*, upload: ImportedFile, actor=None) -> None:
    """Discard an upload that is not imported (being read, unreadable or awaiting review)."""
    with transaction.atomic():
        if upload.is_done:
            raise ApplicationError(_("The file is imported already; it cannot be discarded."))
        event_record(
            events.UploadChanged(upload_id=upload.pk, sha256=upload.sha256),
            actor=actor,
            action="upload_discard",
            file=upload.file_name,
        )
        stored = upload.source_file.name
        upload.delete()
        file_release(stored)


# --- where uploads are read ---------------------------------------------------------------------


def upload_parse_dispatch(upload_ids: Sequence[int]) -> None:
    """Have these uploads read outside the request that asks, where the installation says
    (SEKRETARIAT_EVENT_HANDLING): `inline`, in this process's background reader thread (the
    request does not wait); `celery`, as one task each (`sekretariat.upload_parse`); `worker`,
    nowhere here: `sekretariat worker` takes every received upload in its next round.
    A lost request costs a delay, never the upload: a stuck one is sent again."""
    ids = list(upload_ids)
    if not ids:
        return
    mode = dispatch.handling_mode()
    if mode == dispatch.INLINE:
        _READER.read(ids)
    elif mode == dispatch.CELERY:
        from sekretariat.config.celery import app

        try:
            for upload_id in ids:
                app.send_task(UPLOAD_PARSE_TASK, args=[upload_id])
        except Exception:  # noqa: BLE001 - the broker is down: the uploads wait in the database
            logger.warning("Could not send uploads %s to the task queue; they wait.", ids)


def uploads_read_waiting(*, fresh_too: bool | None = None) -> int:
    """Read the uploads that wait, here and one after the other; returns how many were read.

    The `sekretariat worker`'s round (the `uploads` consumer's periodic work): in `worker` mode
    it reads every received upload; in the others only those stuck (not begun, or begun and
    stopped, `read_stale_after` ago), the fresh ones being read where they were received."""
    if fresh_too is None:
        fresh_too = dispatch.handling_mode() == dispatch.WORKER
    ids = selectors.uploads_waiting(stale_after=read_stale_after(), fresh_too=fresh_too)
    return sum(upload_parse(upload_id) is not None for upload_id in ids)


def uploads_redispatch_stuck() -> int:
    """Send the uploads stuck in 'received' to be read again (from the upload screens and the
    task queue's beat); in `worker` mode the worker's round takes them. Returns how many."""
    if dispatch.handling_mode() == dispatch.WORKER:
        return 0
    ids = selectors.uploads_waiting(stale_after=read_stale_after(), fresh_too=False)
    upload_parse_dispatch(ids)
    return len(ids)


_READER = BackgroundReader(upload_parse, name="sekretariat-upload-reader")


def _no_events(batch) -> None:
    """The `uploads` consumer wants no events: reading is a job, not a handler (a handler
    runs inside the transaction that moves its position)."""


def _never_reads_the_log(long_work_allowed: bool) -> bool:
    """Not ready, ever: with no events to handle, walking the log (all of it, the first time)
    would be work for nothing, after every commit."""
    return False


# `sekretariat worker`'s share (listed in `config/consumers.py`): no events, and the log is
# never read; only the periodic reading of the uploads that wait, every round.
UPLOADS = dispatch.Consumer(
    name="uploads",
    events=frozenset(),
    handle=_no_events,
    ready=_never_reads_the_log,
    periodic=((1.0, uploads_read_waiting),),
)


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
    "UPLOADS",
    "content_hash",
    "document_import",
    "file_import",
    "imported_items_save",
    "imported_records_save",
    "parsed_import",
    "upload_discard",
    "upload_parse",
    "upload_parse_dispatch",
    "upload_receive",
    "uploads_read_waiting",
    "uploads_redispatch_stuck",
]
