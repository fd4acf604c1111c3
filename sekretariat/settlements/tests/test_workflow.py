"""The course workflow through the services: order of steps, timestamps, the engine's
eligibility rules, and that a typed CPR number is stored nowhere."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from sekretariat.core.errors import ApplicationError
from sekretariat.core.models import AuditEvent
from sekretariat.settlements import pseudonyms, services
from sekretariat.settlements.models import Course

from . import factories as f

pytestmark = pytest.mark.django_db

CPR = "0703814417"
CPR_DASHED = "070381-4417"


def test_a_course_through_every_step_is_time_stamped_in_order():
    org, reg = f.municipality(), f.region()
    course = f.referred(org, reg, day=datetime.date(2022, 5, 10))
    assert course.status == "henvist" and course.reference.startswith("IV-2022-")
    services.course_assess(course=course, accept=True, at=f.aware(datetime.date(2022, 5, 9), 12, 5))
    services.course_plan_record(
        course=course,
        plan_text="CRP dag 3; kontakt afdeling M 9d2e",
        start_date=datetime.date(2022, 5, 10),
        planned_days=7,
        medication_record_updated=True,
        at=f.aware(datetime.date(2022, 5, 9), 13, 10),
    )
    services.course_delegate(
        course=course,
        delegated_by="Overlæge Vinter 9d2e",
        at=f.aware(datetime.date(2022, 5, 9), 14),
    )
    visit = services.visit_record(
        course=course,
        visited_at=f.aware(datetime.date(2022, 5, 10), 8, 30),
        duration_minutes=35,
        setting="klinik",
        given_by="Sygeplejerske Ahorn 9d2e",
    )
    services.course_deviation_record(
        course=course, description="Venflon lukket 9d2e", message_sent=True
    )
    services.course_complete(
        course=course,
        end_date=datetime.date(2022, 5, 16),
        completion_note="Forløbet afsluttet efter aftale 9d2e",
        at=f.aware(datetime.date(2022, 5, 16), 16),
    )
    services.course_discharge_letter_send(course=course, at=f.aware(datetime.date(2022, 5, 17), 9))
    course.refresh_from_db()
    stamps = [
        course.referred_at,
        course.assessed_at,
        course.plan_recorded_at,
        course.delegation_recorded_at,
        visit.visited_at,
        course.completed_at,
        course.discharge_letter_sent_at,
    ]
    assert stamps == sorted(stamps) and None not in stamps
    assert course.status == "afsluttet" and course.days == 7
    assert course.deviations.get().message_sent
    actions = list(
        AuditEvent.objects.filter(object_id=str(course.pk)).values_list("action", flat=True)
    )
    assert set(actions) >= {"course_refer", "course_assess", "course_complete", "visit_record"}


def test_steps_out_of_order_are_refused_in_danish():
    course = f.referred(f.municipality(), f.region())
    with pytest.raises(ApplicationError, match="efter at forløbet er visiteret"):
        services.course_plan_record(
            course=course, plan_text="x", start_date=datetime.date(2022, 3, 1)
        )
    with pytest.raises(ApplicationError, match="i behandling"):
        services.visit_record(
            course=course,
            visited_at=f.aware(datetime.date(2022, 3, 1)),
            duration_minutes=30,
            setting="hjemme",
            given_by="N",
        )
    with pytest.raises(ApplicationError) as exc:
        services.course_assess(course=course, accept=False, decline_reason="Ingen grund 4f4f")
    assert exc.value.field == "decline_category"


def test_accepting_asks_the_engine_and_shows_every_failed_rule():
    course = f.referred(
        f.municipality(), f.region(), visits_per_day=5, night_visit=True, patient_accepts=True
    )
    with pytest.raises(ApplicationError) as exc:
        services.course_assess(course=course, accept=True)
    assert "5 besøg i døgnet" in exc.value.message and "kl. 23.00" in exc.value.message
    assert f.status_of(course) == "henvist"
    # The municipality may always decline (visitationsret).
    services.course_assess(
        course=course,
        accept=False,
        decline_category="uden_for_aftalen",
        decline_reason="Natbesøg nødvendige 4f4f",
    )
    assert f.status_of(course) == "afvist"


def test_visit_before_the_first_day_and_end_before_start_are_refused():
    course = f.completed(f.municipality(), f.region(), start=datetime.date(2022, 4, 4), days=3)
    with pytest.raises(ApplicationError):  # completed: no more visits
        services.visit_record(
            course=course,
            visited_at=f.aware(datetime.date(2022, 4, 5)),
            duration_minutes=20,
            setting="hjemme",
            given_by="N",
        )
    services.course_discharge_letter_send(course=course)
    with pytest.raises(ApplicationError, match="allerede"):
        services.course_discharge_letter_send(course=course)


def _every_stored_text() -> str:
    """Every value of every column of every row of every table, as one string."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            for row in cursor.fetchall():
                parts.extend(str(value) for value in row)
    return "\n".join(parts)


def test_a_typed_cpr_number_appears_in_no_column_of_any_row(client):
    org, reg = f.municipality(), f.region()
    client.force_login(f.municipal_user(org))
    data = {
        "municipality": org.pk,
        "region": reg.pk,
        "agreement_id": f.AGREEMENT,
        "hospital": "Testhospitalet 2a2a",
        "department": "Afdeling 2a2a",
        "referred_at": "2022-06-01T10:00",
        "treatment_type": "antibiotika",
        "setting": "hjemme",
        "visits_per_day": 2,
        "minutes_per_administration": 30,
        "first_dose_at_hospital": "on",
        "patient_accepts": "on",
        "medically_suitable": "on",
        "cpr": CPR_DASHED,
    }
    r = client.post(reverse("settlements:course_create"), data)
    assert r.status_code == 302
    course = Course.objects.get(hospital="Testhospitalet 2a2a")
    assert course.patient_key == pseudonyms.patient_key(CPR)
    # A form shown again after an error does not print the number back.
    r = client.post(reverse("settlements:course_create"), {**data, "hospital": ""})
    assert r.status_code == 200 and CPR_DASHED not in r.text and CPR not in r.text
    r = client.get(reverse("settlements:course_detail", kwargs={"pk": course.pk}))
    assert CPR not in r.text and course.patient_key not in r.text
    stored = _every_stored_text()
    for form in (CPR, CPR_DASHED, "070381 4417", "4417070381"):
        assert form not in stored
