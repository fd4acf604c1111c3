"""Meetings, their agendas, items, sections, attachments, attendance and minutes corrections."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sekretariat.core.models import TimeStampedModel


class Access(models.TextChoices):
    """Whether the public may see an item or attachment: a lukket punkt is CLOSED."""

    OPEN = "aaben", _("open")
    CLOSED = "lukket", _("closed")


class SectionType(TimeStampedModel):
    """Afsnitstype: one section of a body's item template (Resumé, Indstilling, Beslutning...)."""

    class Role(models.TextChoices):
        SUMMARY = "resume", _("summary")
        RECOMMENDATION = "indstilling", _("recommendation")
        PRESENTATION = "sagsfremstilling", _("presentation")
        DECISION = "beslutning", _("decision")
        OTHER = "andet", _("other")

    body = models.ForeignKey(
        "bodies.Body",
        verbose_name=_("body"),
        on_delete=models.CASCADE,
        related_name="section_types",
    )
    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OTHER)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("section type")
        verbose_name_plural = _("section types")
        ordering = ["body", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["body", "name"], name="sectiontype_unique_name"),
            models.UniqueConstraint(
                fields=["body"], condition=Q(role="beslutning"), name="sectiontype_one_decision"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body}: {self.name}"

    @property
    def is_decision(self) -> bool:
        return self.role == self.Role.DECISION


class Meeting(TimeStampedModel):
    """Møde: one meeting of a body, with its agenda and, once held, its minutes."""

    class Status(models.TextChoices):
        PLANNED = "planlagt", _("planned")
        AGENDA_PUBLISHED = "dagsorden_offentliggjort", _("agenda published")
        HELD = "afholdt", _("held")
        MINUTES_APPROVED = "referat_godkendt", _("minutes approved")
        CANCELLED = "aflyst", _("cancelled")

    body = models.ForeignKey(
        "bodies.Body", verbose_name=_("body"), on_delete=models.PROTECT, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("place"), max_length=300, blank=True)
    is_virtual = models.BooleanField(_("virtual meeting"), default=False)
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.PLANNED
    )
    agenda_published_at = models.DateTimeField(_("agenda published"), null=True, blank=True)
    minutes_approved_at = models.DateTimeField(_("minutes approved"), null=True, blank=True)
    minutes_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("minutes approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["body", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} {self.starts_at:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse("publishing:meeting", kwargs={"pk": self.pk})

    @property
    def minutes_locked(self) -> bool:
        return self.status == self.Status.MINUTES_APPROVED


class AgendaItem(TimeStampedModel):
    """Dagsordenspunkt: one numbered item on a meeting's agenda."""

    class Kind(models.TextChoices):
        DECISION = "beslutning", _("decision")
        DISCUSSION = "droeftelse", _("discussion")
        INFORMATION = "orientering", _("information")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    position = models.PositiveIntegerField(_("position"))
    number = models.CharField(_("number"), max_length=20)
    title = models.CharField(_("title"), max_length=400)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DECISION)
    access = models.CharField(
        _("access"), max_length=10, choices=Access.choices, default=Access.OPEN
    )
    public_title = models.CharField(
        _("public title"),
        max_length=200,
        blank=True,
        help_text=_("Shown to the public instead of the title when the item is closed."),
    )
    is_standing = models.BooleanField(_("standing item"), default=False)
    presenter = models.CharField(_("presenter"), max_length=200, blank=True)
    timeframe_minutes = models.PositiveSmallIntegerField(
        _("time frame (minutes)"), null=True, blank=True
    )
    journal_number = models.CharField(_("journal number"), max_length=60, blank=True, db_index=True)
    case_officer = models.CharField(_("case officer"), max_length=200, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="item_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("publishing:item", kwargs={"meeting_pk": self.meeting_id, "pk": self.pk})

    @property
    def is_closed(self) -> bool:
        return self.access == Access.CLOSED


class ItemSection(TimeStampedModel):
    """Afsnit: the text of one section (Resumé, Indstilling, ...) of one agenda item."""

    item = models.ForeignKey(
        AgendaItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="sections"
    )
    section_type = models.ForeignKey(
        SectionType, verbose_name=_("section"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["item", "section_type__position"]
        constraints = [
            models.UniqueConstraint(fields=["item", "section_type"], name="section_unique_type"),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.section_type.name}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"bilag/{instance.sha256[:2]}/{instance.sha256}/{filename}"


class Attachment(TimeStampedModel):
    """Bilag: a file attached to an agenda item, stored under its content hash."""

    item = models.ForeignKey(
        AgendaItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    sha256 = models.CharField(_("content hash (SHA-256)"), max_length=64, db_index=True)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("file type"), max_length=100, blank=True)
    access = models.CharField(
        _("access"), max_length=10, choices=Access.choices, default=Access.OPEN
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["item", "position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.access == Access.CLOSED


class Attendance(TimeStampedModel):
    """Deltagelse: a person's part in one meeting: participant, guest or absent (afbud)."""

    class Role(models.TextChoices):
        PARTICIPANT = "deltager", _("participant")
        GUEST = "gaest", _("guest")
        ABSENT = "afbud", _("absent")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances"
    )
    person = models.ForeignKey(
        "bodies.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    role = models.CharField(
        _("role"), max_length=10, choices=Role.choices, default=Role.PARTICIPANT
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["meeting", "role", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_unique_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class MinutesCorrection(TimeStampedModel):
    """Rettelse: a change to approved minutes, kept beside the text it replaced."""

    item = models.ForeignKey(
        AgendaItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="corrections"
    )
    section_type = models.ForeignKey(
        SectionType, verbose_name=_("section"), on_delete=models.PROTECT, related_name="+"
    )
    previous_text = models.TextField(_("previous text"))
    new_text = models.TextField(_("new text"))
    reason = models.TextField(_("reason"))
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("corrected by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("minutes correction")
        verbose_name_plural = _("minutes corrections")
        ordering = ["item", "created_at"]

    def __str__(self) -> str:
        return f"{self.item}: {self.created_at:%d.%m.%Y}"


class DecisionLink(TimeStampedModel):
    """Beslutningshenvisning: what an item's decision made in a body: an appointment (udpegning,
    udskiftning, udtræden) or a new version of its terms of reference (kommissorium).

    The link lives here, with the decision, so that bodies know nothing of meetings."""

    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("item"),
        on_delete=models.CASCADE,
        related_name="decision_links",
    )
    appointment = models.OneToOneField(
        "bodies.Appointment",
        verbose_name=_("appointment"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="decision",
    )
    terms_of_reference = models.OneToOneField(
        "bodies.TermsOfReference",
        verbose_name=_("terms of reference"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="decision",
    )

    class Meta:
        verbose_name = _("decision link")
        verbose_name_plural = _("decision links")
        constraints = [
            models.CheckConstraint(
                condition=Q(appointment__isnull=False, terms_of_reference__isnull=True)
                | Q(appointment__isnull=True, terms_of_reference__isnull=False),
                name="decisionlink_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.appointment or self.terms_of_reference}"
