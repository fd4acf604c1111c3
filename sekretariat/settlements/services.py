"""Writes of the IV course register, settlement runs and population figures.

Every function runs in one transaction. A course's step first asks the step table
(``workflow.require``), which raises ApplicationError with the table's Danish message when the step
is out of order; the checks of the values given stay here. Eligibility and money are the engine's
(``sekretariat.agreements``): ``course_assess`` asks ``eligibility.assess`` and
``settlement_run_create`` stores what ``settlement.settle`` returns; nothing here prices a course.

A CPR number never reaches the database, a log or an audit event: ``pseudonyms.patient_key``
turns it into a pseudonym at once, and only the pseudonym is stored. Who may use the register is
granted and revoked here too (``course_access_grant``, ``course_access_revoke``), each recorded.
"""

import datetime
import uuid
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sekretariat.agreements.eligibility import assess
from sekretariat.agreements.errors import AgreementError
from sekretariat.agreements.settlement import settle
from sekretariat.bodies.models import Organisation
from sekretariat.core import events
from sekretariat.core.errors import ApplicationError
from sekretariat.core.services import event_record

from . import engine, pseudonyms, selectors, workflow
from .models import (
    Course,
    CourseAccess,
    CourseDeviation,
    DeclineCategory,
    PopulationFigure,
    Setting,
    SettlementLine,
    SettlementRun,
    SettlementStatement,
    Visit,
)
from .population import PopulationFileError, problem_at, read_population_csv


def _now(at: datetime.datetime | None) -> datetime.datetime:
    return at or timezone.now()


def _step_time(course: Course, at: datetime.datetime | None) -> datetime.datetime:
    """When a step of ``course`` happened: ``at`` (now when None), never in the future and
    never before the referral."""
    when = _now(at)
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    if when > timezone.now() + datetime.timedelta(minutes=5):
        raise ApplicationError(_("A step cannot be dated in the future."), field="at")
    if when < course.referred_at:
        raise ApplicationError(_("A step cannot be dated before the referral."), field="at")
    return when


def _agreement(agreement_id: str):
    try:
        return engine.agreement(agreement_id)
    except AgreementError as exc:
        raise ApplicationError(str(exc), field="agreement_id") from None


# --- the course workflow --------------------------------------------------------------------


def _step_recorded(course: Course, action: str, *, actor, **details) -> None:
    """Record ``action`` (a step's ``workflow.Step.action``) as event and in the audit log."""
    event_record(
        events.CourseStepRecorded(
            course_id=course.pk, municipality_id=course.municipality_id, step=action
        ),
        actor=actor,
        action=action,
        **details,
    )


@transaction.atomic
def course_refer(
    *,
    municipality: Organisation,
    region: Organisation,
    agreement_id: str,
    treatment_type: str,
    setting: str,
    hospital: str,
    department: str,
    visits_per_day: int,
    minutes_per_administration: int,
    night_visit: bool = False,
    first_dose_at_hospital: bool = True,
    patient_accepts: bool = True,
    medically_suitable: bool = True,
    cpr: str = "",
    referred_at: datetime.datetime | None = None,
    actor=None,
) -> Course:
    """Henvisning: record the hospital's referral; the course gets a pseudonymous reference."""
    if municipality.kind != Organisation.Kind.MUNICIPALITY:
        raise ApplicationError(_("Choose a municipality."), field="municipality")
    if region.kind != Organisation.Kind.REGION:
        raise ApplicationError(_("Choose a region."), field="region")
    agreement = _agreement(agreement_id)
    type_code = agreement.spellings().get(treatment_type.strip().lower())
    if type_code is None:
        raise ApplicationError(
            _("The agreement does not cover this treatment type."), field="treatment_type"
        )
    if setting not in Setting.values:
        raise ApplicationError(_("Choose home or clinic."), field="setting")
    referred_at = _now(referred_at)
    referred_on = timezone.localtime(referred_at).date()
    if not agreement.in_force_on(referred_on):
        raise ApplicationError(
            _(
                "The agreement applies from %(start)s to %(end)s; a referral received on "
                "%(day)s is outside it."
            )
            % {
                "start": date_format(agreement.effective_from, "j. F Y"),
                "end": date_format(agreement.effective_until, "j. F Y")
                if agreement.effective_until
                else _("further notice"),
                "day": date_format(referred_on, "j. F Y"),
            },
            field="referred_at",
        )
    course = Course.objects.create(
        reference=uuid.uuid4().hex[:30],
        patient_key=pseudonyms.patient_key(cpr) if cpr.strip() else "",
        patient_key_id=pseudonyms.key_id() if cpr.strip() else "",
        municipality=municipality,
        region=region,
        agreement_id=agreement.id,
        treatment_type=type_code,
        setting=setting,
        hospital=hospital.strip(),
        department=department.strip(),
        referred_at=referred_at,
        visits_per_day=visits_per_day,
        minutes_per_administration=minutes_per_administration,
        night_visit=night_visit,
        first_dose_at_hospital=first_dose_at_hospital,
        patient_accepts=patient_accepts,
        medically_suitable=medically_suitable,
    )
    course.reference = f"IV-{timezone.localtime(referred_at).year}-{course.pk:06d}"
    course.save(update_fields=["reference"])
    _step_recorded(course, workflow.REFER_ACTION, actor=actor, reference=course.reference)
    return course


def course_eligibility(course: Course):
    """The engine's assessment of the referral on its referral date (every failed rule)."""
    return assess(
        engine.agreement(course.agreement_id),
        engine.referral_of(course),
        on=timezone.localtime(course.referred_at).date(),
    )


@transaction.atomic
def course_assess(
    *,
    course: Course,
    accept: bool,
    decline_category: str = "",
    decline_reason: str = "",
    at: datetime.datetime | None = None,
    actor=None,
) -> Course:
    """Visitation: the municipality accepts or declines the referral.

    The municipality may always decline (visitationsret), giving the reason's category, which the
    region-wide monitoring counts, and if it likes a note of its own, which only its own staff
    see. It may accept only a referral the agreement covers; otherwise the engine's reasons are
    the message."""
    workflow.require(course, workflow.ASSESS)
    when = _step_time(course, at)
    if accept:
        assessment = course_eligibility(course)
        if not assessment.eligible:
            raise ApplicationError(
                _("The agreement does not cover this course: %(reasons)s")
                % {"reasons": " ".join(assessment.messages())}
            )
        workflow.advance(course, workflow.ASSESS, Course.Status.ACCEPTED)
        course.decline_category = ""
        course.decline_reason = ""
    else:
        if decline_category not in DeclineCategory.values:
            raise ApplicationError(_("Choose the reason for declining."), field="decline_category")
        workflow.advance(course, workflow.ASSESS, Course.Status.DECLINED)
        course.decline_category = decline_category
        course.decline_reason = decline_reason.strip()
    course.assessed_at = when
    course.assessed_by = actor if getattr(actor, "is_authenticated", False) else None
    course.save(
        update_fields=[
            "status",
            "decline_category",
            "decline_reason",
            "assessed_at",
            "assessed_by",
            "updated_at",
        ]
    )
    _step_recorded(course, workflow.ASSESS.action, actor=actor, status=course.status)
    return course


@transaction.atomic
def course_plan_record(
    *,
    course: Course,
    plan_text: str,
    start_date: datetime.date,
    planned_days: int | None = None,
    medication_record_updated: bool = False,
    at: datetime.datetime | None = None,
    actor=None,
) -> Course:
    """Behandlingsplan: observations, blood tests, length and contact; FMK updated (once: the
    workflow table refuses a second plan)."""
    workflow.require(course, workflow.PLAN)
    when = _step_time(course, at)
    if not plan_text.strip():
        raise ApplicationError(_("Write the treatment plan."), field="plan_text")
    course.plan_text = plan_text.strip()
    course.start_date = start_date
    course.planned_days = planned_days
    course.medication_record_updated = medication_record_updated
    course.plan_recorded_at = when
    course.save(
        update_fields=[
            "plan_text",
            "start_date",
            "planned_days",
            "medication_record_updated",
            "plan_recorded_at",
            "updated_at",
        ]
    )
    _step_recorded(course, workflow.PLAN.action, actor=actor)
    return course


@transaction.atomic
def course_delegate(
    *, course: Course, delegated_by: str, at: datetime.datetime | None = None, actor=None
) -> Course:
    """Delegering: the hospital doctor delegates the treatment of the named patient."""
    workflow.require(course, workflow.DELEGATE)
    when = _step_time(course, at)
    if not delegated_by.strip():
        raise ApplicationError(_("Name the delegating doctor."), field="delegated_by")
    course.delegated_by = delegated_by.strip()
    course.delegation_recorded_at = when
    workflow.advance(course, workflow.DELEGATE)
    course.save(update_fields=["delegated_by", "delegation_recorded_at", "status", "updated_at"])
    _step_recorded(course, workflow.DELEGATE.action, actor=actor)
    return course


@transaction.atomic
def visit_record(
    *,
    course: Course,
    visited_at: datetime.datetime,
    duration_minutes: int,
    setting: str,
    given_by: str,
    actor=None,
) -> Visit:
    """Besøg: one treatment given under the delegation."""
    workflow.require(course, workflow.VISIT)
    if timezone.localtime(visited_at).date() < course.start_date:
        raise ApplicationError(
            _("The visit lies before the first day of treatment."), field="visited_at"
        )
    if duration_minutes < 1:
        raise ApplicationError(_("Minutes used must be at least 1."), field="duration_minutes")
    if setting not in Setting.values:
        raise ApplicationError(_("Choose home or clinic."), field="setting")
    if not given_by.strip():
        raise ApplicationError(_("Who gave the treatment?"), field="given_by")
    visit = Visit.objects.create(
        course=course,
        visited_at=visited_at,
        duration_minutes=duration_minutes,
        setting=setting,
        given_by=given_by.strip(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _step_recorded(course, workflow.VISIT.action, actor=actor, visit=visit.pk)
    return visit


@transaction.atomic
def course_deviation_record(
    *,
    course: Course,
    description: str,
    message_sent: bool = False,
    at: datetime.datetime | None = None,
    actor=None,
) -> CourseDeviation:
    """Afvigelse: reported to the hospital by phone, followed by a correspondence message."""
    workflow.require(course, workflow.DEVIATION)
    if not description.strip():
        raise ApplicationError(_("Describe the deviation."), field="description")
    deviation = CourseDeviation.objects.create(
        course=course,
        reported_at=_now(at),
        description=description.strip(),
        message_sent=message_sent,
        reported_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _step_recorded(course, workflow.DEVIATION.action, actor=actor)
    return deviation


@transaction.atomic
def course_complete(
    *,
    course: Course,
    end_date: datetime.date,
    completion_note: str,
    at: datetime.datetime | None = None,
    actor=None,
) -> Course:
    """Afslutning: the course ends by agreement; the completion note goes to the hospital."""
    workflow.require(course, workflow.COMPLETE)
    if end_date < course.start_date:
        raise ApplicationError(
            _("The last day lies before the first day of treatment."), field="end_date"
        )
    if not completion_note.strip():
        raise ApplicationError(_("Write the completion note."), field="completion_note")
    course.end_date = end_date
    course.completion_note = completion_note.strip()
    course.completed_at = _now(at)
    workflow.advance(course, workflow.COMPLETE)
    course.save(
        update_fields=["end_date", "completion_note", "completed_at", "status", "updated_at"]
    )
    _step_recorded(course, workflow.COMPLETE.action, actor=actor)
    return course


@transaction.atomic
def course_discharge_letter_send(
    *, course: Course, at: datetime.datetime | None = None, actor=None
) -> Course:
    """Epikrise: the discharge letter to the GP is sent (recorded once)."""
    workflow.require(course, workflow.DISCHARGE_LETTER)
    course.discharge_letter_sent_at = _now(at)
    course.save(update_fields=["discharge_letter_sent_at", "updated_at"])
    _step_recorded(course, workflow.DISCHARGE_LETTER.action, actor=actor)
    return course


# --- settlement ------------------------------------------------------------------------------


@transaction.atomic
def settlement_run_create(
    *,
    region: Organisation,
    year: int,
    agreement_id: str,
    price_factor: Decimal | None = None,
    actor=None,
) -> SettlementRun:
    """Afregning: settle the region's completed courses of ``year`` with the engine and store
    the lines, the per-municipality totals and the versions that produced them."""
    agreement = _agreement(agreement_id)
    courses, municipality_ids, course_ids = selectors.settlement_input(
        region=region, year=year, agreement_id=agreement.id
    )
    if not courses:
        raise ApplicationError(
            _("%(region)s has no completed courses in %(year)d under this agreement.")
            % {"region": region.name, "year": year}
        )
    try:
        settlement = settle(agreement, year, courses, price_factor)
    except AgreementError as exc:
        raise ApplicationError(str(exc)) from None
    notices = list(settlement.notices)
    running = selectors.courses_running(region=region, year=year, agreement_id=agreement.id)
    if running:
        notices.append(
            _("%(count)d courses started in %(year)d are not completed and are not settled.")
            % {"count": running, "year": year}
        )
    run = SettlementRun.objects.create(
        region=region,
        year=year,
        agreement_id=agreement.id,
        agreement_sha256=engine.agreement_sha256(agreement.id),
        engine_version=engine.engine_version(),
        price_factor=settlement.price_factor.value,
        price_factor_source=settlement.price_factor.source,
        notices=notices,
        course_count=len(courses),
        total_dkk=settlement.total_dkk,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    SettlementStatement.objects.bulk_create(
        SettlementStatement(
            run=run,
            municipality_id=municipality_ids[total.municipality],
            course_count=total.courses,
            amount_dkk=total.amount_dkk,
        )
        for total in settlement.by_municipality()
    )
    SettlementLine.objects.bulk_create(
        (
            SettlementLine(
                run=run,
                course_id=course_ids[line.course_id],
                course_reference=line.course_id,
                municipality_id=municipality_ids[line.municipality],
                treatment_type=line.treatment_type,
                setting=line.setting,
                start_date=line.start_date,
                days=line.days,
                ordinal=line.ordinal,
                step=line.step,
                extra_days=line.extra_days,
                course_tariff_dkk=line.course_tariff_dkk,
                day_tariff_dkk=line.day_tariff_dkk,
                amount_dkk=line.amount_dkk,
                rule_code=line.rule.code,
            )
            for line in settlement.lines
        ),
        batch_size=2000,
    )
    event_record(
        events.SettlementRunCreated(run_id=run.pk),
        actor=actor,
        action="settlement_run_create",
        year=year,
        agreement=agreement.id,
        total_dkk=str(run.total_dkk),
    )
    return run


# --- population ------------------------------------------------------------------------------


def _plain_name(name: str) -> str:
    name = name.strip().lower()
    return name.removesuffix(" kommune").strip()


@transaction.atomic
def population_import(*, data: bytes, actor=None) -> int:
    """Folketal: import a population CSV (see ``population.py``); every code must be a known
    municipality whose name matches. Any problem refuses the whole file (nothing is written);
    the ApplicationError's message lists the problems, one per line."""
    try:
        rows = read_population_csv(data)
    except PopulationFileError as exc:
        raise ApplicationError("\n".join(exc.problems)) from None
    municipalities = {
        org.code: org
        for org in Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY).exclude(code="")
    }
    problems = []
    for row in rows:
        org = municipalities.get(row.code)
        if org is None:
            problems.append(
                problem_at(
                    row.line,
                    row.columns["code"],
                    _("no municipality has the code '%(code)s'") % {"code": row.code},
                )
            )
        elif row.name and _plain_name(row.name) != _plain_name(org.name):
            problems.append(
                problem_at(
                    row.line,
                    row.columns["name"],
                    _("the code %(code)s belongs to %(municipality)s, not '%(name)s'")
                    % {"code": row.code, "municipality": org.name, "name": row.name},
                )
            )
    if problems:
        raise ApplicationError("\n".join(problems))
    for row in rows:
        PopulationFigure.objects.update_or_create(
            municipality=municipalities[row.code],
            year=row.year,
            defaults={"population": row.population},
        )
    event_record(
        events.PopulationImported(rows=len(rows), years=tuple(sorted({row.year for row in rows}))),
        actor=actor,
        action="population_import",
    )
    return len(rows)


# --- access to the register ------------------------------------------------------------------


def _access_recorded(access: CourseAccess, action: str, *, actor) -> None:
    event_record(
        events.CourseAccessChanged(
            access_id=access.pk,
            user_id=access.user_id,
            role=access.role,
            organisation_id=access.organisation_id,
        ),
        actor=actor,
        action=action,
        user=access.user.get_username(),
        role=access.role,
        organisation=access.organisation.name if access.organisation_id else "",
    )


def _may_grant(actor) -> bool:
    if actor is None:  # a command run by the operator
        return True
    if getattr(actor, "is_superuser", False):
        return True
    return CourseAccess.objects.filter(
        user=actor, role=CourseAccess.Role.ACCESS_ADMIN, revoked_at__isnull=True
    ).exists()


@transaction.atomic
def course_access_grant(
    *, user, role: str, organisation: Organisation | None = None, actor=None
) -> CourseAccess:
    """Give ``user`` a role in the IV register (see ``CourseAccess``); recorded in the audit log.

    Only an administrator or an access administrator grants, and never to themselves; a
    municipal role names a municipality, the region's finance a region, the others neither."""
    if not _may_grant(actor):
        raise ApplicationError(_("You may not grant access to the IV register."))
    if actor is not None and actor.pk == user.pk:
        raise ApplicationError(_("Nobody grants access to themselves."), field="user")
    if role not in CourseAccess.Role.values:
        raise ApplicationError(_("Choose a role."), field="role")
    kind = CourseAccess.ORGANISATION_KIND.get(role)
    if kind is None:
        organisation = None
    elif organisation is None or organisation.kind != kind:
        message = (
            _("The role needs a municipality.")
            if kind == Organisation.Kind.MUNICIPALITY
            else _("The role needs a region.")
        )
        raise ApplicationError(message, field="organisation")
    if CourseAccess.objects.filter(
        user=user, role=role, organisation=organisation, revoked_at__isnull=True
    ).exists():
        raise ApplicationError(_("The user has this access already."))
    access = CourseAccess.objects.create(
        user=user,
        role=role,
        organisation=organisation,
        granted_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _access_recorded(access, "course_access_grant", actor=actor)
    return access


@transaction.atomic
def course_access_revoke(*, access: CourseAccess, actor=None) -> CourseAccess:
    """End a grant; the row stays, with who ended it and when."""
    if not _may_grant(actor):
        raise ApplicationError(_("You may not grant access to the IV register."))
    access = CourseAccess.objects.select_for_update().get(pk=access.pk)
    if access.revoked_at is not None:
        raise ApplicationError(_("The access is revoked already."))
    access.revoked_at = timezone.now()
    access.revoked_by = actor if getattr(actor, "is_authenticated", False) else None
    access.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    _access_recorded(access, "course_access_revoke", actor=actor)
    return access
