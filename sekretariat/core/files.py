"""Filer: the one content-addressed file store, and the one way to let go of a stored file.

Every file the system keeps (attachments, whether uploaded or imported) is stored by
`file_store` under its SHA-256, at `bilag/<sha[:2]>/<sha>/<filename>` (the layout attachments
have always had, so an older installation's files are found where they are). The same content
under the same name is stored once and shared by every row that names it.

A stored file is removed only by `file_release`, and only after the transaction commits and
when no row of any model's FileField names it any more (the FileFields are found through the
app registry, so a new model with files is covered without being listed here). A file stored
by a block that then fails is removed by `stored_files_discard_on_rollback`.

Two writers that store and let go of the same content at the same moment do not race: storing
takes a lock on the content until the storing transaction ends, and a removal takes the same lock
before it looks for rows, so it waits for a writer that is about to name the file, and then sees
its row (PostgreSQL: an advisory lock per content hash; SQLite: its one writer at a time, as
every transaction here begins IMMEDIATE).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import mimetypes
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.db import DatabaseError, connection, models, transaction
from django.db.transaction import TransactionManagementError

from . import events
from .services import event_record

logger = logging.getLogger(__name__)

# The longest name a FileField of ours holds (`Attachment.file`).
MAX_NAME_LENGTH = 300
DEFAULT_CONTENT_TYPE = "application/octet-stream"

# The names stored since each `stored_files_discard_on_rollback` block began (innermost last).
_stored_in_blocks: ContextVar[tuple[list[str], ...]] = ContextVar("stored_in_blocks", default=())


@dataclass(frozen=True)
class StoredFile:
    """A file in the store: its name in the storage, content hash, size and content type."""

    name: str
    sha256: str
    size_bytes: int
    content_type: str


def content_sha256(data: bytes) -> str:
    """The SHA-256 of bytes in memory (an imported document's identity)."""
    return hashlib.sha256(data).hexdigest()


def file_digest(file: File) -> tuple[str, int]:
    """The SHA-256 and size of a file's content, read in chunks; the file is rewound after."""
    digest = hashlib.sha256()
    size = 0
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    return digest.hexdigest(), size


@contextlib.contextmanager
def file_opened(source: str | Path | File) -> Iterator[File]:
    """A path opened as a `File` (and closed after), or a `File` as it is."""
    if isinstance(source, str | Path):
        with open(source, "rb") as handle:
            yield File(handle, name=Path(source).name)
    else:
        yield source


def content_path(sha256: str, filename: str, storage: Storage | None = None) -> str:
    """Where content with this hash is kept under this name (the storage's valid form of it)."""
    storage = storage or default_storage
    directory = f"bilag/{sha256[:2]}/{sha256}"
    try:
        name = storage.get_valid_name(PurePosixPath(filename.replace("\\", "/")).name)
    except SuspiciousFileOperation:  # nothing of the name is left ('..', '')
        name = "fil"
    room = MAX_NAME_LENGTH - len(directory) - 1
    if len(name) > room:
        suffix = PurePosixPath(name).suffix[:20]
        name = name[: room - len(suffix)] + suffix
    return f"{directory}/{name}"


def _content_lock(sha256: str) -> None:
    """Hold the content's lock until the current transaction ends (see the module's note)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # A 63-bit key from the hash; equal contents take the same lock.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(sha256[:15], 16)])


def _sha256_of(name: str) -> str | None:
    """The content hash in a stored file's name ('bilag/ab/<sha256>/x.pdf')."""
    parts = PurePosixPath(name).parts
    return parts[2] if len(parts) >= 4 and len(parts[2]) == 64 else None


def file_store(
    file: File,
    *,
    filename: str = "",
    content_type: str | None = None,
    actor=None,
    action: str = "file_store",
) -> StoredFile:
    """Store `file` under its content hash (once: the same content and name is shared) and
    record `FileStored` in the caller's transaction."""
    storage = default_storage
    sha256, size = file_digest(file)
    filename = filename or getattr(file, "name", "") or "fil"
    name = content_path(sha256, filename, storage)
    _content_lock(sha256)
    if not storage.exists(name):
        name = storage.save(name, file, max_length=MAX_NAME_LENGTH)
        for block in _stored_in_blocks.get():
            block.append(name)
    event_record(events.FileStored(sha256=sha256, size_bytes=size), actor=actor, action=action)
    return StoredFile(
        name=name,
        sha256=sha256,
        size_bytes=size,
        content_type=content_type
        or getattr(file, "content_type", None)
        or mimetypes.guess_type(filename)[0]
        or DEFAULT_CONTENT_TYPE,
    )


# The types a browser may show inline, recognised by their first bytes (never by the name or
# the type the uploader's browser sent): PDF and raster images. Everything else, HTML and SVG
# above all (they run script on our site), is served as a download.
_INLINE_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def inline_content_type(head: bytes) -> str | None:
    """The content type to show a file inline as, from its first bytes; None: download only.

    >>> inline_content_type(b"%PDF-1.7 ...")
    'application/pdf'
    >>> inline_content_type(b"<svg onload=alert(1)>") is None
    True
    """
    for signature, content_type in _INLINE_SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def _file_fields(storage: Storage) -> Iterator[tuple[type[models.Model], str]]:
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField) and field.storage is storage:
                yield model, field.name


def file_referenced(name: str, storage: Storage | None = None) -> bool:
    """True while a row of any model's FileField (on this storage) names the file."""
    storage = storage or default_storage
    return any(
        model._base_manager.filter(**{field: name}).exists()
        for model, field in _file_fields(storage)
    )


def _remove_unless_referenced(name: str, storage: Storage) -> None:
    sha256 = _sha256_of(name)
    try:
        with transaction.atomic():
            if sha256:
                _content_lock(sha256)  # waits for a writer that is storing the same content
            if not file_referenced(name, storage):
                storage.delete(name)
    except TransactionManagementError:
        # Asked inside a transaction that is failing: no row of it will be kept.
        storage.delete(name)
    except DatabaseError:
        # The check itself failed (a lock timeout, a lost connection): keep the file. A file
        # left over costs disk; a file removed under a row that names it loses a document.
        logger.warning("Could not check whether %s is still used; it is kept.", name)


def file_release(name: str, storage: Storage | None = None) -> None:
    """Let go of a stored file: it is removed once the transaction commits, if no row names it
    then. Nothing is removed when the transaction rolls back."""
    if not name:
        return
    storage = storage or default_storage
    transaction.on_commit(lambda: _remove_unless_referenced(name, storage))


@contextlib.contextmanager
def stored_files_discard_on_rollback() -> Iterator[list[str]]:
    """Remove the files `file_store` newly stored inside the block if the block raises.

    Put it around the transaction (`with stored_files_discard_on_rollback(),
    transaction.atomic(): ...`), so that the rows that named the files are rolled back when the
    files are looked at. Files that existed before the block are never touched. Yields the list
    of names stored so far."""
    stored: list[str] = []
    token = _stored_in_blocks.set((*_stored_in_blocks.get(), stored))
    try:
        yield stored
    except BaseException:
        for name in stored:
            _remove_unless_referenced(name, default_storage)
        raise
    finally:
        _stored_in_blocks.reset(token)
