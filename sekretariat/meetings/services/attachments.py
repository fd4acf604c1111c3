"""Attachments: files kept in the content-addressed store (`core.files`), refused over the size
limit; a removed attachment's file is let go after the commit, unless another row names it."""

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from sekretariat.core import events
from sekretariat.core.errors import ApplicationError
from sekretariat.core.files import file_release, file_store, stored_files_discard_on_rollback
from sekretariat.core.services import event_record

from ..models import (
    Access,
    AgendaItem,
    Attachment,
)
from .meetings import meeting_lock, meeting_refuse_if_locked

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


def _file_name(file: File) -> str:
    return (getattr(file, "name", "") or "bilag").replace("\\", "/").rsplit("/", 1)[-1]


def attachment_row(
    *, item: AgendaItem, file: File, title: str, access: str, position: int, actor, action: str
) -> Attachment:
    """An unsaved attachment of `item` whose file is stored (and `FileStored` recorded)."""
    name = _file_name(file)
    stored = file_store(file, filename=name, actor=actor, action=action)
    return Attachment(
        item=item,
        title=(title or name).strip()[:300],
        file=stored.name,
        sha256=stored.sha256,
        size_bytes=stored.size_bytes,
        content_type=stored.content_type,
        access=access,
        position=position,
    )


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
    # A file stored by a transaction that fails is removed again, unless another row names it.
    with stored_files_discard_on_rollback(), transaction.atomic():
        meeting = meeting_lock(item.meeting)
        meeting_refuse_if_locked(meeting)
        attachment = attachment_row(
            item=item,
            file=file,
            title=title,
            access=access,
            position=item.attachments.count() + 1,
            actor=actor,
            action="attachment_add",
        )
        attachment.save()
        attachments_changed_record(
            attachment.item, [attachment.pk], actor=actor, action="attachment_add"
        )
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, actor=None) -> None:
    meeting = meeting_lock(attachment.item.meeting)
    meeting_refuse_if_locked(meeting)
    name = attachment.file.name
    removed = attachment.pk
    attachment.delete()
    attachments_changed_record(
        attachment.item,
        [removed],
        actor=actor,
        action="attachment_delete",
        title=attachment.title,
    )
    file_release(name, attachment.file.storage)
