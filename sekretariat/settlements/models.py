"""IV courses, their visits and deviations, settlement runs and population figures.

A patient is held by a pseudonymous course reference only. A CPR number typed at referral is kept
as a pseudonym (scrypt under the installation's own pseudonymisation key, see ``pseudonyms``) and
never in clear. Who may read or change courses is an explicit, audited grant (``CourseAccess``). Tariff rules live in the pure engine (``sekretariat.agreements``); a settlement
run stores the engine's output beside the agreement and engine versions that produced it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sekretariat.bodies.models import Organisation
from sekretariat.core.models import TimeStampedModel


class Setting(models.TextChoices):
    """Where treatment is given; the values are the engine's (``agreements.model.Setting``)."""

    HOME = "hjemme", _("at home")
    CLINIC = "klinik", _("in a clinic")


class DeclineCategory(models.TextChoices):
    """Why a municipality declined a referral, as the region-wide monitoring counts it. The free
    text beside it (``Course.decline_reason``) stays with the municipality that wrote it."""

    CAPACITY = "kapacitet", _("no capacity in the nursing service")
    PATIENT = "patientens_oenske", _("the patient wishes treatment at the hospital")
    OUTSIDE_AGREEMENT = "uden_for_aftalen", _("outside the agreement (visits, time, night)")
    NOT_SUITABLE = "ikke_egnet", _("not suitable or not ready for municipal treatment")
    OTHER = "andet", _("other reason")


class Course(TimeStampedModel):
    """Forløb: one referred course of IV treatment in municipal care, from referral to
    discharge letter, each step time-stamped. The patient is known only by ``reference``."""

    class Status(models.TextChoices):
        REFERRED = "henvist", _("referred")
        DECLINED = "afvist", _("declined")
        ACCEPTED = "visiteret", _("accepted")
        IN_TREATMENT = "i_behandling", _("in treatment")
        COMPLETED = "afsluttet", _("completed")

    reference = models.CharField(_("course reference"), max_length=30, unique=True)
    patient_key = models.CharField(
        _("patient key"),
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_("Keyed hash of the CPR number (scrypt); never the number itself."),
    )
    patient_key_id = models.CharField(
        _("pseudonym key"),
        max_length=12,
        blank=True,
        help_text=_("Fingerprint of the pseudonymisation key the patient key was made with."),
    )
    municipality = models.ForeignKey(
        Organisation,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="iv_courses",
        limit_choices_to={"kind": Organisation.Kind.MUNICIPALITY},
    )
    region = models.ForeignKey(
        Organisation,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="iv_region_courses",
        limit_choices_to={"kind": Organisation.Kind.REGION},
    )
    agreement_id = models.CharField(_("agreement"), max_length=60)
    treatment_type = models.CharField(_("treatment type"), max_length=30)
    setting = models.CharField(_("place"), max_length=10, choices=Setting.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REFERRED
    )

    # Henvisning: what the hospital doctor's referral says.
    hospital = models.CharField(_("hospital"), max_length=200)
    department = models.CharField(_("department"), max_length=200)
    referred_at = models.DateTimeField(_("referred"))
    visits_per_day = models.PositiveSmallIntegerField(_("visits per day"))
    minutes_per_administration = models.PositiveSmallIntegerField(_("minutes per administration"))
    night_visit = models.BooleanField(_("visit between 23 and 07"), default=False)
    first_dose_at_hospital = models.BooleanField(_("first dose given at hospital"), default=True)
    patient_accepts = models.BooleanField(_("patient accepts municipal treatment"), default=True)
    medically_suitable = models.BooleanField(_("medically assessed suitable"), default=True)

    # Vurdering (visitation): the municipality accepts or declines.
    assessed_at = models.DateTimeField(_("assessed"), null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decline_category = models.CharField(
        _("reason for declining"), max_length=30, choices=DeclineCategory.choices, blank=True
    )
    decline_reason = models.TextField(
        _("the municipality's note on the declining"),
        blank=True,
        help_text=_("Free text: shown only to the municipality's own staff."),
    )

    # Behandlingsplan and FMK.
    plan_text = models.TextField(_("treatment plan"), blank=True)
    planned_days = models.PositiveSmallIntegerField(
        _("planned length (days)"), null=True, blank=True
    )
    start_date = models.DateField(_("first day of treatment"), null=True, blank=True)
    medication_record_updated = models.BooleanField(_("FMK updated"), default=False)
    plan_recorded_at = models.DateTimeField(_("plan recorded"), null=True, blank=True)

    # Delegering: for the named patient, from the hospital doctor.
    delegated_by = models.CharField(_("delegated by (doctor)"), max_length=200, blank=True)
    delegation_recorded_at = models.DateTimeField(_("delegation recorded"), null=True, blank=True)

    # Afslutning and epikrise.
    end_date = models.DateField(_("last day of treatment"), null=True, blank=True)
    completion_note = models.TextField(_("completion note"), blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    discharge_letter_sent_at = models.DateTimeField(
        _("discharge letter sent"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["-referred_at", "-id"]
        indexes = [
            models.Index(fields=["region", "start_date"]),
            models.Index(fields=["municipality", "referred_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=False, end_date__gte=models.F("start_date")),
                name="course_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def days(self) -> int | None:
        if self.start_date and self.end_date:
            return (self.end_date - self.start_date).days + 1
        return None


class Visit(TimeStampedModel):
    """Besøg: one treatment visit of a course: when, how long, where and by whom."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="visits"
    )
    visited_at = models.DateTimeField(_("time"))
    duration_minutes = models.PositiveSmallIntegerField(_("minutes used"))
    setting = models.CharField(_("place"), max_length=10, choices=Setting.choices)
    given_by = models.CharField(_("given by"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["visited_at", "id"]

    def __str__(self) -> str:
        return f"{self.course} {self.visited_at:%Y-%m-%d %H:%M}"


class CourseDeviation(TimeStampedModel):
    """Afvigelse: a deviation in a course, reported to the hospital by phone and followed by a
    correspondence message."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="deviations"
    )
    reported_at = models.DateTimeField(_("reported"))
    description = models.TextField(_("description"))
    message_sent = models.BooleanField(_("correspondence message sent"), default=False)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("deviation")
        verbose_name_plural = _("deviations")
        ordering = ["reported_at", "id"]

    def __str__(self) -> str:
        return f"{self.course} {self.reported_at:%Y-%m-%d}"


class SettlementRun(TimeStampedModel):
    """Afregningskørsel: one region's courses of one year settled by the engine, stored with the
    agreement (id and a hash of its data file) and the engine version that produced it."""

    region = models.ForeignKey(
        Organisation,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="iv_settlement_runs",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    agreement_id = models.CharField(_("agreement"), max_length=60)
    agreement_sha256 = models.CharField(_("agreement data (SHA-256)"), max_length=64)
    engine_version = models.CharField(_("engine version"), max_length=60)
    price_factor = models.DecimalField(_("price factor"), max_digits=12, decimal_places=6)
    price_factor_source = models.CharField(_("source of the price factor"), max_length=20)
    notices = models.JSONField(_("notices"), default=list, blank=True)
    course_count = models.PositiveIntegerField(_("courses"))
    total_dkk = models.DecimalField(_("total (DKK)"), max_digits=16, decimal_places=2)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("settlement run")
        verbose_name_plural = _("settlement runs")
        ordering = ["-year", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.region} {self.year} ({self.agreement_id})"


class SettlementStatement(models.Model):
    """Kommuneopgørelse: one municipality's courses and amount in a settlement run, as the
    engine summed them."""

    run = models.ForeignKey(
        SettlementRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="statements"
    )
    municipality = models.ForeignKey(
        Organisation, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    course_count = models.PositiveIntegerField(_("courses"))
    amount_dkk = models.DecimalField(_("amount (DKK)"), max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("municipal statement")
        verbose_name_plural = _("municipal statements")
        ordering = ["run", "municipality__name"]
        constraints = [
            models.UniqueConstraint(fields=["run", "municipality"], name="statement_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.run}: {self.municipality}"


class SettlementLine(models.Model):
    """Afregningslinje: one course in a settlement run, with its ordinal, step and amount."""

    run = models.ForeignKey(
        SettlementRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="lines"
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    course_reference = models.CharField(_("course reference"), max_length=30)
    municipality = models.ForeignKey(
        Organisation, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    treatment_type = models.CharField(_("treatment type"), max_length=30)
    setting = models.CharField(_("place"), max_length=10, choices=Setting.choices)
    start_date = models.DateField(_("first day"))
    days = models.PositiveIntegerField(_("days"))
    ordinal = models.PositiveIntegerField(_("number in the year"))
    step = models.PositiveSmallIntegerField(_("step"))
    extra_days = models.PositiveIntegerField(_("extra days"))
    course_tariff_dkk = models.DecimalField(
        _("course tariff (DKK)"), max_digits=12, decimal_places=2
    )
    day_tariff_dkk = models.DecimalField(_("day tariff (DKK)"), max_digits=12, decimal_places=2)
    amount_dkk = models.DecimalField(_("amount (DKK)"), max_digits=14, decimal_places=2)
    rule_code = models.CharField(_("rule"), max_length=100)

    class Meta:
        verbose_name = _("settlement line")
        verbose_name_plural = _("settlement lines")
        ordering = ["run", "ordinal"]
        constraints = [
            models.UniqueConstraint(fields=["run", "ordinal"], name="settlement_line_ordinal"),
        ]

    def __str__(self) -> str:
        return f"{self.course_reference} #{self.ordinal}"


class PopulationFigure(TimeStampedModel):
    """Folketal: a municipality's number of inhabitants in a year, imported by the installation."""

    municipality = models.ForeignKey(
        Organisation,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="population_figures",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    population = models.PositiveIntegerField(_("population"))

    class Meta:
        verbose_name = _("population figure")
        verbose_name_plural = _("population figures")
        ordering = ["-year", "municipality__name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="population_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}: {self.population}"


class CourseAccess(TimeStampedModel):
    """Adgang til IV-forløb: one user's explicit role in the IV register, granted on a screen and
    recorded in the audit log; a revoked grant is kept (with who revoked it and when).

    - ``municipal``: the municipality's IV nurse or visitator: reads and records the steps of
      that municipality's courses, sees its statements;
    - ``secretariat``: reads every course and statement, runs settlements, imports population
      figures; records no step of a course;
    - ``region_finance``: the region's finance: reads that region's settlement runs and
      statements and the monitoring report; no course;
    - ``access_admin``: grants and revokes these roles (never to themselves).
    """

    class Role(models.TextChoices):
        MUNICIPAL = "kommune", _("IV nurse or visitator of a municipality")
        SECRETARIAT = "sekretariat", _("secretariat (reads, settles)")
        REGION_FINANCE = "region_oekonomi", _("region's finance (reads settlements)")
        ACCESS_ADMIN = "adgangsadministrator", _("access administrator")

    #: The roles that name an organisation, and its kind.
    ORGANISATION_KIND = {
        Role.MUNICIPAL: Organisation.Kind.MUNICIPALITY,
        Role.REGION_FINANCE: Organisation.Kind.REGION,
    }

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="iv_access",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("municipality or region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="iv_access",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("IV access")
        verbose_name_plural = _("IV access")
        ordering = ["user__username", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organisation"],
                condition=Q(revoked_at__isnull=True, organisation__isnull=False),
                name="iv_access_active_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(revoked_at__isnull=True, organisation__isnull=True),
                name="iv_access_active_unique_role",
            ),
            models.CheckConstraint(
                condition=Q(role__in=["kommune", "region_oekonomi"], organisation__isnull=False)
                | Q(role__in=["sekretariat", "adgangsadministrator"], organisation__isnull=True),
                name="iv_access_organisation_for_role",
            ),
        ]

    def __str__(self) -> str:
        where = f" ({self.organisation})" if self.organisation_id else ""
        return f"{self.user}: {self.get_role_display()}{where}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
