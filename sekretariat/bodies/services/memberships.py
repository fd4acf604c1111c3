"""Seats in bodies: appointments (udpegning) that start, replace or end memberships."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from sekretariat.core import events
from sekretariat.core.errors import ApplicationError
from sekretariat.core.services import event_record

from ..models import Appointment, Body, Membership, Person


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


def appointee_check(*, person: Person | None, new_person_name: str) -> None:
    """The appointment form offers a known person or a new person's name: exactly one of the
    two. Both given is refused rather than guessed (which of them did the user mean?)."""
    new_person_name = (new_person_name or "").strip()
    if person is not None and new_person_name:
        raise ApplicationError(
            _(
                "You chose %(person)s and also wrote the new name %(name)s. Choose one of the "
                "two: empty the new name to appoint %(person)s, or choose no person in the list "
                "to create %(name)s as a new person."
            )
            % {"person": person.name, "name": new_person_name},
            field="new_person_name",
        )
    if person is None and not new_person_name:
        raise ApplicationError(_("Choose a person or write a new person's name."), field="person")


@transaction.atomic
def appointment_make(
    *,
    body: Body,
    person: Person,
    role: str,
    effective_date: datetime.date,
    replaces: Membership | None = None,
    end_date: datetime.date | None = None,
    note: str = "",
    actor=None,
) -> Appointment:
    """Appoint `person` to `body` from `effective_date`; a replaced seat ends the day before.

    A seat that begins after today is an upcoming member until its first day (the members
    screen and `viewer_for` read the dates). The decision (an agenda item) that made it is
    linked by `meetings.services.decisions.appointment_make_decided`.
    """
    if role not in Membership.Role.values:
        raise ApplicationError(_("Choose one of the listed roles."), field="role")
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
    overlapping = Membership.objects.filter(person=person, body=body).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=effective_date)
    )
    if end_date is not None:
        overlapping = overlapping.filter(start_date__lte=end_date)
    if replaces is not None:  # a person may replace their own seat (a new role)
        overlapping = overlapping.exclude(pk=replaces.pk)
    seat = overlapping.order_by("start_date").first()
    if seat is not None:
        if seat.start_date <= effective_date:
            raise ApplicationError(
                _("%(person)s is already a member of %(body)s.") % {"person": person, "body": body}
            )
        raise ApplicationError(
            _("%(person)s is already appointed to %(body)s from %(date)s.")
            % {"person": person, "body": body, "date": seat.start_date.strftime("%d.%m.%Y")},
            field="effective_date",
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
        note=note,
    )
    if replaces is not None:
        _membership_changed(replaces, actor=actor, action="appointment_make")
    _membership_changed(membership, actor=actor, action="appointment_make")
    return appointment


@transaction.atomic
def membership_end(*, membership: Membership, end_date: datetime.date, actor=None) -> Appointment:
    """End a seat (udtræden) on `end_date`, recording the decision that ended it."""
    if end_date < membership.start_date:
        raise ApplicationError(_("The membership must end after it begins."), field="end_date")
    membership.end_date = end_date
    membership.save(update_fields=["end_date", "updated_at"])
    appointment = Appointment.objects.create(
        kind=Appointment.Kind.END,
        membership=membership,
        effective_date=end_date,
    )
    _membership_changed(membership, actor=actor, action="membership_end")
    return appointment
