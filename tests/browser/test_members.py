"""The secretariat records an appointment decided in a meeting, as a user clicks through it; the
new member is then found by search, which the change's events kept current."""

import pytest

from sekretariat.bodies.models import Appointment, Person
from sekretariat.bodies.tests import factories as bf
from sekretariat.meetings.tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretariat_records_an_appointment_decided_in_an_item(page, live_server, login):
    body = bf.body("Styregruppen for Kystbaner 7e7e")
    user = bf.secretariat_user(body)
    meeting = f.approved_meeting(body, items=[{"title": "Udpegning til styregruppen 7e7e"}])
    item = meeting.agenda_items.get()
    login(page, user.username)
    page.goto(f"{live_server.url}/sekretariat/fora/{body.slug}/medlemmer/")
    page.get_by_label("Eller navnet på en ny person").fill("Ingeborg Quistgaard 7e7e")
    page.get_by_label("Gældende fra").fill("2026-06-01")
    page.get_by_label("Besluttet under punkt").select_option(str(item.pk))
    page.get_by_role("button", name="Registrér udpegning").click()
    assert page.get_by_text("Udpegningen er registreret.").is_visible()

    appointment = Appointment.objects.get(membership__person__name="Ingeborg Quistgaard 7e7e")
    assert appointment.decision.item == item
    # The list of appointments links the deciding item.
    link = page.get_by_role("link", name="besluttet").first
    assert link.get_attribute("href") == item.get_absolute_url()

    # A refused appointment (before the seat could begin) leaves no new person behind.
    page.get_by_label("Eller navnet på en ny person").fill("Afvist Person 7e7e")
    page.get_by_label("Gældende fra").fill("2026-06-01")
    page.get_by_label("Erstatter").select_option(index=1)
    page.get_by_role("button", name="Registrér udpegning").click()
    assert not Person.objects.filter(name="Afvist Person 7e7e").exists()

    # The public search finds the new member: the appointment's events reached the index.
    page.goto(f"{live_server.url}/soeg/?q=Quistgaard")
    assert page.get_by_role("link", name="Ingeborg Quistgaard 7e7e").first.is_visible()
