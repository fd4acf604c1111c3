import datetime

import pytest

from sekretariat.bodies import services
from sekretariat.bodies.models import Appointment, Membership, Person
from sekretariat.bodies.tests import factories as bf
from sekretariat.core.errors import ApplicationError

from ..services import decisions
from . import factories as mf

pytestmark = pytest.mark.django_db


def test_replacement_ends_the_old_seat_the_day_before_and_points_to_the_decision():
    body = bf.body()
    old = Person.objects.create(name="Gammel Repræsentant 2d2d")
    new = Person.objects.create(name="Ny Repræsentant 2d2d")
    seat = Membership.objects.create(
        person=old, body=body, role="medlem", start_date=datetime.date(2022, 1, 1)
    )
    decision = mf.item(mf.meeting(body), title="Udpegning af ny repræsentant 2d2d")
    appointment = decisions.appointment_make_decided(
        body=body,
        person=new,
        role="medlem",
        effective_date=datetime.date(2026, 6, 1),
        replaces=seat,
        decided_by_item=decision,
    )
    seat.refresh_from_db()
    assert seat.end_date == datetime.date(2026, 5, 31)
    assert appointment.kind == Appointment.Kind.REPLACE
    assert appointment.decision.item == decision
    assert decision.decision_links.get().appointment == appointment
    assert appointment.membership.start_date == datetime.date(2026, 6, 1)


def test_replacement_before_the_old_seat_began_is_refused_and_nothing_changes():
    body = bf.body()
    seat = Membership.objects.create(
        person=Person.objects.create(name="A"), body=body, start_date=datetime.date(2026, 1, 1)
    )
    with pytest.raises(ApplicationError):
        services.appointment_make(
            body=body,
            person=Person.objects.create(name="B"),
            role="medlem",
            effective_date=datetime.date(2025, 12, 1),
            replaces=seat,
        )
    seat.refresh_from_db()
    assert seat.end_date is None
    assert Membership.objects.filter(body=body).count() == 1
    assert not Appointment.objects.exists()


def test_membership_end_records_the_withdrawal():
    body = bf.body()
    seat = Membership.objects.create(
        person=Person.objects.create(name="C"), body=body, start_date=datetime.date(2024, 1, 1)
    )
    services.membership_end(membership=seat, end_date=datetime.date(2026, 3, 31))
    seat.refresh_from_db()
    assert seat.end_date == datetime.date(2026, 3, 31)
    assert seat.appointments.get().kind == Appointment.Kind.END


def test_terms_of_reference_link_the_item_that_approved_them():
    body = bf.body()
    approval = mf.item(mf.meeting(body), title="Godkendelse af kommissorium 8c8c")
    terms = decisions.terms_of_reference_add_approved(
        body=body,
        text="Styregruppen følger aftalen 8c8c.",
        effective_from=datetime.date(2026, 1, 1),
        approved_by_item=approval,
    )
    assert terms.decision.item == approval and terms.version == 1
