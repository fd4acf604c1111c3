"""Attachments: files stored under their content hash, refused over the size limit."""

import hashlib
import mimetypes

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from sekretariat.core import events
from sekretariat.core.errors import ApplicationError
from sekretariat.core.services import event_record

from ..models import (
    Access,
    AgendaItem,
    Attachment,
)
from .meetings import _lock_meeting, _refuse_if_locked

# --- attachments ----------------------------------------------------------------------------


def attachments_changed_record(item: AgendaItem, attachment_ids, *, actor, action, **details):
    """Record that attachments of `item` were added or removed."""
    event_record(
        events.AttachmentsChanged(
            meeting_id=item.meeting_id, item_id=item.pk, attachment_ids=tuple(attachment_ids)
        ),
        actor=actor,
        action=action,
        **details,
    )


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
            attachments_changed_record(
                attachment.item, [attachment.pk], actor=actor, action="attachment_add"
            )
            event_record(
                events.FileStored(sha256=sha256, size_bytes=size),
                actor=actor,
                action="attachment_add",
            )
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
    removed = attachment.pk
    attachment.delete()
    attachments_changed_record(
        attachment.item,
        [removed],
        actor=actor,
        action="attachment_delete",
        title=attachment.title,
    )

    def _delete_file() -> None:
        if not Attachment.objects.filter(file=name).exists():
            storage.delete(name)

    transaction.on_commit(_delete_file)
