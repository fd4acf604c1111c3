"""What the importer wrote: files by content hash, and per item what it last put there.

The loader reads these on the next import of the same meeting to tell its own text from what the
secretariat changed by hand: a value that still equals what the import wrote may be replaced by a
newer document; a value that differs was edited by hand and wins.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sekretariat.core.models import TimeStampedModel


class ImportedFile(TimeStampedModel):
    """Indlæst fil: one meeting document handed to the importer, known by its content hash."""

    class Status(models.TextChoices):
        # An upload is received (its bytes in the file store), then read outside the web
        # request (`services.upload_parse`): it awaits review, or could not be read.
        RECEIVED = "modtaget", _("received, being read")
        UNREADABLE = "ulaeselig", _("could not be read")
        PENDING = "afventer", _("awaiting review")
        IMPORTED = "indlaest", _("imported")
        UPDATED = "opdateret", _("updated the meeting")
        UNCHANGED = "uaendret", _("nothing new")
        SUPERSEDED = "aeldre", _("older than the meeting's minutes")

    sha256 = models.CharField(_("content hash (SHA-256)"), max_length=64, unique=True)
    file_name = models.CharField(_("file name"), max_length=300)
    document_type = models.CharField(_("document type"), max_length=20, blank=True)
    parsed = models.JSONField(_("parsed document"), default=dict)
    source_text = models.TextField(_("source text"), blank=True)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imported_files",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    source_file = models.FileField(
        _("uploaded file"),
        max_length=300,
        blank=True,
        help_text=_("The uploaded file in the file store, kept until it is read."),
    )
    read_error = models.TextField(
        _("why it could not be read"),
        blank=True,
        help_text=_("The reader's message for an upload that could not be read."),
    )
    read_started_at = models.DateTimeField(
        _("reading started"),
        null=True,
        blank=True,
        help_text=_("When a process began reading the upload; an old one has stopped."),
    )
    meeting_fields = models.JSONField(
        _("meeting fields written"),
        default=dict,
        blank=True,
        help_text=_("Hashes of the meeting fields this import wrote."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("imported file")
        verbose_name_plural = _("imported files")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The uploads waiting to be read, which the worker looks for every second.
            models.Index(
                fields=["updated_at"],
                condition=models.Q(status="modtaget"),
                name="ingest_upload_received_idx",
            )
        ]

    def __str__(self) -> str:
        return self.file_name

    # An upload that is not yet a meeting's import: being read, unreadable or awaiting review.
    OPEN_STATUSES = (Status.RECEIVED, Status.UNREADABLE, Status.PENDING)

    @property
    def is_done(self) -> bool:
        return self.status not in self.OPEN_STATUSES

    @property
    def is_being_read(self) -> bool:
        return self.status == self.Status.RECEIVED

    @property
    def is_unreadable(self) -> bool:
        return self.status == self.Status.UNREADABLE


class ImportedItem(TimeStampedModel):
    """Indlæst punkt: what the last import wrote to one agenda item, field by field (as hashes)."""

    item = models.OneToOneField(
        "meetings.AgendaItem",
        verbose_name=_("item"),
        on_delete=models.CASCADE,
        related_name="import_record",
    )
    source_key = models.CharField(_("key in the document"), max_length=420)
    written = models.JSONField(
        _("fields written"),
        default=dict,
        help_text=_("Field or section name to the hash of the text the import wrote."),
    )
    listed_attachments = models.JSONField(
        _("attachments listed in the document"), default=list, blank=True
    )

    class Meta:
        verbose_name = _("imported item")
        verbose_name_plural = _("imported items")

    def __str__(self) -> str:
        return self.source_key
