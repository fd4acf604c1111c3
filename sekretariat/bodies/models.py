"""Organisations, fora (bodies), people and their seats. Vocabulary after Popolo/Open Civic Data."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sekretariat.core.models import TimeStampedModel


class Organisation(TimeStampedModel):
    """Organisation: a municipality, region, KKR, KL or other party that owns fora or sends members."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "kommune", _("municipality")
        REGION = "region", _("region")
        KKR = "kkr", _("KKR")
        KL = "kl", _("KL")
        OTHER = "andet", _("other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.MUNICIPALITY
    )
    code = models.CharField(_("code"), max_length=10, blank=True, help_text=_("Municipality code."))

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Secretariat(TimeStampedModel):
    """Sekretariat: the staff unit that serves one or more fora, hosted by a municipality."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    host_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("host municipality"),
        on_delete=models.PROTECT,
        related_name="hosted_secretariats",
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff"),
        blank=True,
        related_name="secretariats",
    )

    class Meta:
        verbose_name = _("secretariat")
        verbose_name_plural = _("secretariats")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Body(TimeStampedModel):
    """Forum (udvalg, kreds, netværk): a body that meets, has members and takes decisions."""

    class Kind(models.TextChoices):
        KKR = "kkr", _("KKR")
        DIRECTOR_CIRCLE = "direktoerkreds", _("director circle")
        EXECUTIVE_COMMITTEE = "forretningsudvalg", _("executive committee")
        HEALTH_COUNCIL = "sundhedssamarbejdsudvalg", _("health cooperation committee")
        HEALTH_CLUSTER = "sundhedsklynge", _("health cluster")
        STEERING_GROUP = "styregruppe", _("steering group")
        WORKING_GROUP = "arbejdsgruppe", _("working group")
        EXECUTIVE_BOARD = "direktion", _("executive board")
        OTHER = "andet", _("other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="bodies",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent body"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    secretariat = models.ForeignKey(
        Secretariat,
        verbose_name=_("secretariat"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bodies",
    )
    description = models.TextField(_("description"), blank=True)
    meetings_per_year = models.PositiveSmallIntegerField(_("meetings per year"), default=4)
    default_location = models.CharField(_("usual meeting place"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("publishing:body", kwargs={"slug": self.slug})


class TermsOfReference(TimeStampedModel):
    """Kommissorium: one version of a body's terms of reference (the item that approved it is
    a `meetings.DecisionLink`)."""

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="terms_of_reference"
    )
    version = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"))
    effective_from = models.DateField(_("effective from"))

    class Meta:
        verbose_name = _("terms of reference")
        verbose_name_plural = _("terms of reference")
        ordering = ["body", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["body", "version"], name="terms_unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.body} v{self.version}"


class Person(TimeStampedModel):
    """Person: a member, guest or staff member; linked to a login when the person has one."""

    name = models.CharField(_("name"), max_length=200)
    job_title = models.CharField(_("title"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(TimeStampedModel):
    """Medlemskab: a person's seat in a body, with a role and dates."""

    class Role(models.TextChoices):
        CHAIR = "formand", _("chair")
        VICE_CHAIR = "naestformand", _("vice chair")
        MEMBER = "medlem", _("member")
        SUBSTITUTE = "suppleant", _("substitute")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    representing = models.ForeignKey(
        Organisation,
        verbose_name=_("representing"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memberships",
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["body", "role", "person__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()}, {self.body}"


class Appointment(TimeStampedModel):
    """Udpegning: a decision that starts, ends or replaces a membership, taken in an agenda item."""

    class Kind(models.TextChoices):
        APPOINT = "udpegning", _("appointment")
        REPLACE = "udskiftning", _("replacement")
        END = "udtraedelse", _("withdrawal")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("membership"),
        on_delete=models.CASCADE,
        related_name="appointments",
    )
    replaces = models.ForeignKey(
        Membership,
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaced_by_appointments",
    )
    effective_date = models.DateField(_("effective date"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["-effective_date"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.membership}"
