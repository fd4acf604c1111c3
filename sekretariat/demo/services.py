"""Building the demo installation through the same services the screens use."""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from sekretariat.bodies.models import (
    Body,
    Membership,
    Organisation,
    Person,
    Secretariat,
    TermsOfReference,
)
from sekretariat.meetings import services as meeting_services
from sekretariat.meetings.models import AgendaItem, Attendance, Meeting, SectionType
from sekretariat.meetings.services import decisions
from sekretariat.settlements.demo import settlements_demo_build
from sekretariat.settlements.models import CourseAccess
from sekretariat.settlements.services import course_access_grant

from . import content

DEMO_PASSWORD = "demo-sekretariat"

# Relative meeting days (to today) and the state each meeting is left in.
SCHEDULE = [
    (-250, Meeting.Status.MINUTES_APPROVED),
    (-160, Meeting.Status.MINUTES_APPROVED),
    (-70, Meeting.Status.MINUTES_APPROVED),
    (-9, Meeting.Status.HELD),
    (16, Meeting.Status.AGENDA_PUBLISHED),
    (110, Meeting.Status.PLANNED),
]

# The health cluster names its sections differently, as many fora do.
CLUSTER_SECTIONS = [
    ("Sammendrag", SectionType.Role.SUMMARY),
    ("Beslutningspunkter", SectionType.Role.RECOMMENDATION),
    ("Sagsbeskrivelse", SectionType.Role.PRESENTATION),
    ("Referat", SectionType.Role.DECISION),
]


def demo_exists() -> bool:
    return Secretariat.objects.filter(name=content.SECRETARIAT[0]).exists()


@transaction.atomic
def demo_build(*, today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    User = get_user_model()
    orgs = {
        name: Organisation.objects.create(name=name, kind=kind, code=code)
        for name, kind, code in content.ORGANISATIONS
    }
    secretariat = Secretariat.objects.create(
        name=content.SECRETARIAT[0], host_organisation=orgs[content.SECRETARIAT[1]]
    )
    User.objects.create_superuser("admin", "admin@example.invalid", DEMO_PASSWORD)
    staff_user = User.objects.create_user(
        "sekretariat", "sekretariat@example.invalid", DEMO_PASSWORD
    )
    secretariat.staff.add(staff_user)
    for name, title, username in content.STAFF:
        Person.objects.create(
            name=name,
            job_title=title,
            organisation=orgs[content.SECRETARIAT[1]],
            user=staff_user if username else None,
        )

    bodies = {}
    for slug, name, kind, org, parent, per_year, place, description in content.BODIES:
        bodies[slug] = Body.objects.create(
            slug=slug,
            name=name,
            kind=kind,
            organisation=orgs[org],
            parent=bodies.get(parent),
            secretariat=secretariat,
            meetings_per_year=per_year,
            default_location=place,
            description=description,
        )
    for i, (name, role) in enumerate(CLUSTER_SECTIONS):
        SectionType.objects.create(
            body=bodies["sundhedsklynge-fjordby"], name=name, role=role, position=i
        )

    term_start = datetime.date(today.year - 1, 1, 1)
    people = {}
    for name, title, org, seats, username in content.PEOPLE:
        user = (
            User.objects.create_user(username, f"{username}@example.invalid", DEMO_PASSWORD)
            if username
            else None
        )
        person = Person.objects.create(
            name=name, job_title=title, organisation=orgs[org], user=user
        )
        people[name] = person
        for slug, role in seats:
            Membership.objects.create(
                person=person,
                body=bodies[slug],
                role=role,
                representing=orgs[org],
                start_date=term_start,
            )

    counts = {"meetings": 0, "items": 0}
    for body in bodies.values():
        counts_body = _demo_meetings(body, today, people, staff_user)
        counts["meetings"] += counts_body["meetings"]
        counts["items"] += counts_body["items"]
    _demo_appointment(bodies, people)
    _demo_terms(bodies)
    iv = settlements_demo_build(today, password=DEMO_PASSWORD)
    counts["iv_courses"] = iv.get("courses", 0)
    # The secretariat reads the IV register and settles, and grants its access (recorded).
    for role in (CourseAccess.Role.SECRETARIAT, CourseAccess.Role.ACCESS_ADMIN):
        course_access_grant(user=staff_user, role=role)
    return counts


def _aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )


def _demo_meetings(body: Body, today: datetime.date, people, actor) -> dict[str, int]:
    items = content.ITEMS[body.slug]
    members = [m.person for m in body.memberships.select_related("person")]
    types = meeting_services.section_template_ensure(body)
    by_role = {st.role: st for st in types}
    # Substantive items go to the first five meetings, round-robin, in list order.
    plan: dict[int, list] = {i: [] for i in range(len(SCHEDULE))}
    for n, item in enumerate(items):
        plan[n % 5].append(item)
    created_items = 0
    for i, (offset, status) in enumerate(SCHEDULE):
        day = today + datetime.timedelta(days=offset + len(body.slug) % 3)
        start_hour = 9 if body.kind != "styregruppe" else 13
        meeting = meeting_services.meeting_create(
            body=body,
            starts_at=_aware(day, start_hour),
            ends_at=_aware(day, start_hour + 2, 30),
            is_virtual=body.default_location == "Microsoft Teams",
            with_standing_items=True,
            actor=actor,
        )
        eventuelt = meeting.agenda_items.get(title="Eventuelt")
        for n, (
            title,
            kind,
            access,
            presenter,
            minutes,
            journal,
            officer,
            resume,
            rec,
            pres,
            decision,
        ) in enumerate(plan[i], start=1):
            eventuelt.refresh_from_db()
            sections = {
                by_role["resume"].pk: resume,
                by_role["indstilling"].pk: rec,
                by_role["sagsfremstilling"].pk: pres,
            }
            item = meeting_services.agenda_item_add(
                meeting=meeting,
                title=title,
                kind=kind,
                access=access,
                public_title="Lukket punkt: personale"
                if access == "lukket" and "Person" in title
                else "",
                number=f"n{n}",
                presenter=presenter,
                timeframe_minutes=minutes,
                journal_number=journal,
                case_officer=officer,
                sections=sections,
                position=eventuelt.position,
                actor=actor,
            )
            item._demo_decision = decision
            created_items += 1
            _demo_attachments(item, n, actor)
        meeting_services.agenda_renumber(meeting=meeting, actor=actor)
        if status == Meeting.Status.PLANNED:
            continue
        meeting_services.agenda_publish(meeting=meeting, actor=actor)
        if status == Meeting.Status.AGENDA_PUBLISHED:
            continue
        for k, person in enumerate(members):
            role = Attendance.Role.ABSENT if (k + i) % 5 == 4 else Attendance.Role.PARTICIPANT
            meeting_services.attendance_set(meeting=meeting, person=person, role=role, actor=actor)
        meeting_services.meeting_mark_held(meeting=meeting, actor=actor)
        decisions = {title: decision for (title, *_rest, decision) in plan[i]}
        for item in meeting.agenda_items.all():
            text = decisions.get(item.title)
            if text is None:
                text = "Intet at bemærke." if item.title == "Eventuelt" else "Godkendt."
            if text:
                meeting_services.decision_record(item=item, text=text, actor=actor)
        if status == Meeting.Status.MINUTES_APPROVED:
            meeting_services.minutes_approve(meeting=meeting, actor=actor)
    return {"meetings": len(SCHEDULE), "items": created_items + 3 * len(SCHEDULE)}


def _demo_attachments(item, n: int, actor) -> None:
    if item.title.startswith("Budget"):
        data = "kommune;indbyggere;andel_kr\nFjordby;48210;812400\nSkovlund;31877;537200\n"
        f = ContentFile(data.encode(), name="budgetfordeling-2027.csv")
        meeting_services.attachment_add(
            item=item, file=f, title="Fordeling af budget 2027", actor=actor
        )
        secret = ContentFile(
            "Lønoversigt for sekretariatet (fortrolig), kodeord hejre-0c4d\n".encode(),
            name="loenoversigt.txt",
        )
        meeting_services.attachment_add(
            item=item, file=secret, title="Lønoversigt (fortrolig)", access="lukket", actor=actor
        )
    elif n == 1 and not item.is_closed:
        f = ContentFile(
            f"Notat til punktet '{item.title}'.\nUdarbejdet af sekretariatet.\n".encode(),
            name=f"notat-{item.pk}.txt",
        )
        meeting_services.attachment_add(
            item=item, file=f, title=f"Notat: {item.title}", actor=actor
        )


def _demo_appointment(bodies, people) -> None:
    """Ole Fenger replaces Inger Bach in the IV steering group, as the committee decided."""
    decision = (
        AgendaItem.objects.filter(
            meeting__body=bodies["forretningsudvalget"], title__startswith="Udpegning"
        )
        .select_related("meeting")
        .first()
    )
    seat = Membership.objects.get(person=people["Inger Bach"], body=bodies["styregruppe-iv"])
    effective = timezone.localtime(decision.meeting.starts_at).date() + datetime.timedelta(days=1)
    decisions.appointment_make_decided(
        body=bodies["styregruppe-iv"],
        person=people["Ole Fenger"],
        role="medlem",
        effective_date=effective,
        replaces=seat,
        decided_by_item=decision,
        note="Udpeget for resten af valgperioden.",
    )


def _demo_terms(bodies) -> None:
    TermsOfReference.objects.create(
        body=bodies["styregruppe-iv"],
        version=1,
        effective_from=datetime.date(2021, 10, 4),
        text=(
            "Styregruppen følger aftalen om IV-behandling i kommunerne, godkender kvartalsrapporterne "
            "og anbefaler ændringer af takster og arbejdsgange over for sundhedsklyngen."
        ),
    )
