"""Decisions that change a body: an appointment or new terms of reference, linked to the item
that decided them (`DecisionLink`, kept on the meetings side so that bodies know nothing of
meetings). Each runs the bodies service and the link in one transaction."""

from django.db import transaction

from sekretariat.bodies import services as body_services
from sekretariat.bodies.models import Appointment, TermsOfReference

from ..models import AgendaItem, DecisionLink
from .agenda import items_changed_record


def _link(item: AgendaItem | None, *, actor, action: str, **target) -> None:
    """Link the deciding item (often another body's: an executive committee appoints the
    members of a steering group)."""
    if item is None:
        return
    DecisionLink.objects.create(item=item, **target)
    items_changed_record(item.meeting_id, [item.pk], actor=actor, action=action)


@transaction.atomic
def appointment_make_decided(
    *,
    decided_by_item: AgendaItem | None,
    person=None,
    new_person_name: str = "",
    actor=None,
    **kwargs,
):
    """`bodies.services.appointment_make`, with the item whose decision made it; a person not
    yet known is created by name, in the same transaction (nothing is left if it is refused)."""
    if person is None:
        person = body_services.person_create(name=new_person_name, actor=actor)
    appointment: Appointment = body_services.appointment_make(person=person, actor=actor, **kwargs)
    _link(
        decided_by_item,
        actor=actor,
        action="appointment_make",
        appointment=appointment,
    )
    return appointment


@transaction.atomic
def membership_end_decided(*, decided_by_item: AgendaItem | None, actor=None, **kwargs):
    """`bodies.services.membership_end`, with the item whose decision ended the seat."""
    appointment: Appointment = body_services.membership_end(actor=actor, **kwargs)
    _link(
        decided_by_item,
        actor=actor,
        action="membership_end",
        appointment=appointment,
    )
    return appointment


@transaction.atomic
def terms_of_reference_add_approved(
    *, approved_by_item: AgendaItem | None, actor=None, **kwargs
) -> TermsOfReference:
    """`bodies.services.terms_of_reference_add`, with the item that approved the version."""
    terms: TermsOfReference = body_services.terms_of_reference_add(actor=actor, **kwargs)
    _link(
        approved_by_item,
        actor=actor,
        action="terms_of_reference_add",
        terms_of_reference=terms,
    )
    return terms
