"""Writes about seats in bodies: appointments that start, replace or end memberships."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from sekretariat.core import events
from sekretariat.core.errors import ApplicationError
from sekretariat.core.services import event_record

from .models import Appointment, Body, Membership, Person, TermsOfReference


def _membership_changed(membership: Membership, *, actor, action: str) -> None:
    event_record(
        events.MembershipChanged(
            membership_id=membership.pk,
            body_id=membership.body_id,
            person_id=membership.person_id,
        ),
        actor=actor,
        action=action,
    )


@transaction.atomic
def appointment_make(
    *,
    body: Body,
    person: Person,
    role: str,
    effective_date: datetime.date,
    decided_by_item=None,
    replaces: Membership | None = None,
    end_date: datetime.date | None = None,
    note: str = "",
    actor=None,
) -> Appointment:
    """Appoint `person` to `body` from `effective_date`; a replaced seat ends the day before.

    The decision (an agenda item) that made the appointment is kept with it.
    """
    if replaces is not None:
        replaces = Membership.objects.select_for_update().get(pk=replaces.pk)
        if replaces.body_id != body.pk:
            raise ApplicationError(_("The replaced membership belongs to another body."))
        if replaces.start_date >= effective_date:
            raise ApplicationError(
                _("The replacement must take effect after the replaced membership began."),
                field="effective_date",
            )
        if replaces.end_date and replaces.end_date < effective_date - datetime.timedelta(days=1):
            raise ApplicationError(_("The replaced membership has already ended."))
    if end_date and end_date < effective_date:
        raise ApplicationError(_("The membership must end after it begins."), field="end_date")
    if Membership.objects.filter(
        person=person, body=body, start_date__lte=effective_date, end_date__isnull=True
    ).exists():
        raise ApplicationError(
            _("%(person)s is already a member of %(body)s.") % {"person": person, "body": body}
        )
    membership = Membership.objects.create(
        person=person,
        body=body,
        role=role,
        representing=replaces.representing if replaces else person.organisation,
        start_date=effective_date,
        end_date=end_date,
    )
    if replaces is not None:
        replaces.end_date = effective_date - datetime.timedelta(days=1)
        replaces.save(update_fields=["end_date", "updated_at"])
    appointment = Appointment.objects.create(
        kind=Appointment.Kind.REPLACE if replaces else Appointment.Kind.APPOINT,
        membership=membership,
        replaces=replaces,
        effective_date=effective_date,
        decided_by_item=decided_by_item,
        note=note,
    )
    if replaces is not None:
        _membership_changed(replaces, actor=actor, action="appointment_make")
    _membership_changed(membership, actor=actor, action="appointment_make")
    return appointment


@transaction.atomic
def membership_end(
    *, membership: Membership, end_date: datetime.date, decided_by_item=None, actor=None
) -> Appointment:
    """End a seat (udtræden) on `end_date`, recording the decision that ended it."""
    if end_date < membership.start_date:
        raise ApplicationError(_("The membership must end after it begins."), field="end_date")
    membership.end_date = end_date
    membership.save(update_fields=["end_date", "updated_at"])
    appointment = Appointment.objects.create(
        kind=Appointment.Kind.END,
        membership=membership,
        effective_date=end_date,
        decided_by_item=decided_by_item,
    )
    _membership_changed(membership, actor=actor, action="membership_end")
    return appointment


@transaction.atomic
def terms_of_reference_add(
    *,
    body: Body,
    text: str,
    effective_from: datetime.date,
    approved_by_item=None,
    actor=None,
):
    """A new version of the body's terms of reference (kommissorium), numbered after the last."""
    text = text.strip()
    if not text:
        raise ApplicationError(_("The terms of reference need a text."), field="text")
    last = (
        TermsOfReference.objects.select_for_update().filter(body=body).order_by("-version").first()
    )
    if last and effective_from <= last.effective_from:
        raise ApplicationError(
            _("A new version must take effect after version %(v)s (%(d)s).")
            % {"v": last.version, "d": last.effective_from.strftime("%d.%m.%Y")},
            field="effective_from",
        )
    terms = TermsOfReference.objects.create(
        body=body,
        version=(last.version + 1) if last else 1,
        text=text,
        effective_from=effective_from,
        approved_by_item=approved_by_item,
    )
    event_record(
        events.BodyChanged(body_id=body.pk),
        actor=actor,
        action="terms_of_reference_add",
        version=terms.version,
    )
    return terms
