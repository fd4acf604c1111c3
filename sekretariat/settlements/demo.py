"""Demo data for the IV agreement: a year of synthetic courses for Region Vestkyst.

Everything is invented and generated from a seeded RNG, so a build is the same every time:
about 3,800 courses a year over the five demo municipalities (population scaled so the
region's count passes both steps of the staircase in the autumn), three types with realistic
lengths, half at home and half in clinics, some referrals declined with reasons, visits and a few
deviations. Havnsø is planted as the deviating municipality (more and longer courses), so the
report has something to flag.

The year is the latest full calendar year inside the agreement's period (with today's registered
agreement, Region Hovedstaden's 2021 agreement, that is 2022): the engine's tariffs apply and no
"outside the agreement's period" notice appears. The year's courses are written in bulk (a
year's worth through the one-at-a-time services would take minutes); the last few, still open in
December, go through the same services as the screens.
"""

import datetime
import random
from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from sekretariat.bodies.models import Organisation, Person
from sekretariat.core.errors import ApplicationError

from . import engine, services
from .models import Course, CourseAccess, CourseDeviation, Setting, Visit

AGREEMENT_ID = "hovedstaden-2021"
REGION = "Region Vestkyst"
SEED = 20211004

# code → (inhabitants, courses per 1,000 inhabitants a year, length factor). Fictional numbers
# scaled up so five municipalities make a region-sized year; Havnsø is the planted outlier.
MUNICIPALITIES = {
    "901": (342_000, 3.1, 0.96),
    "902": (261_000, 3.4, 1.04),
    "903": (148_000, 5.2, 1.45),
    "904": (203_000, 2.95, 1.0),
    "905": (226_000, 3.25, 0.98),
}

# type → (share of courses, (low, mode, high) days, visits a day, minutes per administration)
TYPES = {
    "antibiotika": (0.56, (4, 8, 16), (1, 3), (20, 45)),
    "vaeske": (0.29, (2, 3, 7), (1, 2), (15, 30)),
    "pumpe": (0.15, (5, 8, 21), (1, 1), (15, 30)),
}

HOSPITALS = [
    ("Fjordby Sygehus", "Infektionsmedicinsk afdeling"),
    ("Fjordby Sygehus", "Medicinsk afdeling M2"),
    ("Fjordby Sygehus", "Ortopædkirurgisk afdeling"),
    ("Vestkysthospitalet Havnsø", "Lungemedicinsk afdeling"),
    ("Vestkysthospitalet Havnsø", "Akutafdelingen"),
    ("Vestkysthospitalet Havnsø", "Geriatrisk afdeling"),
]

# (reason, changes to the referral that make the reason true)
DECLINES = [
    # (category, the municipality's own note, what about the referral made it so)
    ("kapacitet", "Ingen ledig kapacitet i sygeplejen i weekenden", {}),
    (
        "patientens_oenske",
        "Patienten ønsker at blive behandlet på hospitalet",
        {"patient_accepts": False},
    ),
    ("uden_for_aftalen", "Der er behov for mere end 4 besøg i døgnet", {"visits_per_day": 5}),
    ("uden_for_aftalen", "Behandlingen kræver besøg mellem kl. 23 og 07", {"night_visit": True}),
    ("ikke_egnet", "Venøs adgang er ikke etableret før udskrivelsen", {}),
    ("ikke_egnet", "Patienten er ikke lægefagligt vurderet egnet", {"medically_suitable": False}),
]

DEVIATIONS = [
    "Venflon lukket; ny anlagt efter telefonisk aftale med afdelingen.",
    "Udslæt efter dosis; behandlingen sat på pause efter aftale med lægen.",
    "Dosis givet 2 timer forsinket pga. forsinket levering fra sygehusapoteket.",
    "Patienten var ikke hjemme ved planlagt besøg; kontakt etableret samme dag.",
    "Pumpen alarmerede om okklusion; slangesæt skiftet.",
]

NURSES = ["A. Holm", "B. Kjær", "C. Dahl", "D. Friis", "E. Lund", "F. Bech"]

DEMO_USERS = [
    # (username, name, title, municipality code; None: the region's finance)
    ("fjordby-iv", "Mette Fjord Larsen", "Sygeplejefaglig leder, IV-teamet", "901"),
    ("havnsoe-iv", "Jonas Havn Mikkelsen", "Visitator, hjemmesygeplejen", "903"),
    ("region-oekonomi", "Sara Vest Holm", "Økonomikonsulent, Region Vestkyst", None),
]


def demo_year(today: datetime.date, agreement_id: str = AGREEMENT_ID) -> int:
    """The latest full calendar year before ``today``'s year inside the agreement's period."""
    agreement = engine.agreement(agreement_id)
    year = today.year - 1
    while year > agreement.effective_from.year and not (
        agreement.in_force_on(datetime.date(year, 1, 1))
        and agreement.in_force_on(datetime.date(year, 12, 31))
    ):
        year -= 1
    return year


def _aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )


@transaction.atomic
def settlements_demo_build(
    today: datetime.date, *, password: str | None = None, seed: int = SEED
) -> dict[str, int]:
    """Population, a year of courses, a settlement run, two municipal IV logins and one of the
    region's finance, each with its grant, for the demo organisations (municipalities 901–905
    and Region Vestkyst, which must exist)."""
    municipalities = {
        org.code: org
        for org in Organisation.objects.filter(
            kind=Organisation.Kind.MUNICIPALITY, code__in=MUNICIPALITIES
        )
    }
    region = Organisation.objects.filter(name=REGION, kind=Organisation.Kind.REGION).first()
    if len(municipalities) != len(MUNICIPALITIES) or region is None:
        raise ApplicationError("The demo municipalities 901–905 and Region Vestkyst must exist.")
    year = demo_year(today)
    rng = random.Random(seed)

    csv_lines = ["kommunekode;navn;folketal;år"]
    for code, (population, _rate, _factor) in MUNICIPALITIES.items():
        for y in (year - 1, year):
            csv_lines.append(f"{code};{municipalities[code].name};{population};{y}")
    services.population_import(data="\n".join(csv_lines).encode())

    courses = _bulk_courses(rng, year, municipalities, region)
    counts = {"courses": len(courses)}
    counts["visits"], counts["deviations"] = _bulk_visits(rng, courses)
    counts["open"] = _open_courses(rng, year, municipalities, region)
    run = services.settlement_run_create(region=region, year=year, agreement_id=AGREEMENT_ID)
    counts["settled"] = run.course_count

    User = get_user_model()
    for username, name, title, code in DEMO_USERS:
        user = User.objects.create_user(username, f"{username}@example.invalid", password)
        if password is None:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        organisation = municipalities[code] if code else region
        Person.objects.create(name=name, job_title=title, organisation=organisation, user=user)
        services.course_access_grant(
            user=user,
            role=CourseAccess.Role.MUNICIPAL if code else CourseAccess.Role.REGION_FINANCE,
            organisation=organisation,
        )
    return counts


def _days_in_year(year: int) -> list[datetime.date]:
    first = datetime.date(year, 1, 1)
    return [
        first + datetime.timedelta(days=i)
        for i in range((datetime.date(year, 12, 31) - first).days + 1)
    ]


def _start_days(rng: random.Random, year: int, count: int) -> Iterator[datetime.date]:
    """Start dates over the year, a little more in winter (infections), none after 20 Dec."""
    days = [d for d in _days_in_year(year) if d <= datetime.date(year, 12, 20)]
    weights = [1.25 if d.month in (1, 2, 3, 11, 12) else 1.0 for d in days]
    return iter(sorted(rng.choices(days, weights=weights, k=count)))


def _bulk_courses(rng, year, municipalities, region) -> list[Course]:
    rows = []
    for code, (population, rate, length_factor) in MUNICIPALITIES.items():
        count = round(population * rate / 1000)
        for _ in range(count):
            rows.append((code, length_factor))
    rng.shuffle(rows)
    starts = _start_days(rng, year, len(rows))
    type_codes = list(TYPES)
    shares = [TYPES[t][0] for t in type_codes]
    courses = []
    for index, (code, length_factor) in enumerate(rows):
        start = next(starts)
        type_code = rng.choices(type_codes, weights=shares)[0]
        _share, (low, mode, high), visits, minutes = TYPES[type_code]
        hospital, department = rng.choice(HOSPITALS)
        referred_at = _aware(
            start - datetime.timedelta(days=1), rng.randint(9, 14), rng.choice((0, 15, 30, 45))
        )
        course = Course(
            reference=f"demo-{seed_tag(year)}-{index}",
            municipality=municipalities[code],
            region=region,
            agreement_id=AGREEMENT_ID,
            treatment_type=type_code,
            setting=rng.choice((Setting.HOME, Setting.CLINIC)),
            hospital=hospital,
            department=department,
            referred_at=referred_at,
            visits_per_day=rng.randint(*visits),
            minutes_per_administration=rng.randrange(minutes[0], minutes[1] + 1, 5),
        )
        if rng.random() < 0.07:
            category, note, changes = rng.choice(DECLINES)
            for field, value in changes.items():
                setattr(course, field, value)
            course.status = Course.Status.DECLINED
            course.decline_category = category
            course.decline_reason = note
            course.assessed_at = referred_at + datetime.timedelta(hours=rng.randint(1, 3))
        else:
            days = max(1, round(rng.triangular(low, high, mode) * length_factor))
            end = start + datetime.timedelta(days=days - 1)
            course.status = Course.Status.COMPLETED
            course.assessed_at = referred_at + datetime.timedelta(minutes=rng.randint(40, 180))
            course.plan_text = (
                "Observation af temperatur, puls og indstikssted ved hvert besøg. "
                f"Blodprøver (CRP, leukocytter) dag 3. Forventet varighed {days} dage. "
                f"Kontakt: {department}, {hospital}."
            )
            course.planned_days = days
            course.start_date = start
            course.medication_record_updated = True
            course.plan_recorded_at = course.assessed_at + datetime.timedelta(hours=2)
            course.delegated_by = f"Overlæge, {department}"
            course.delegation_recorded_at = course.plan_recorded_at + datetime.timedelta(minutes=45)
            course.end_date = end
            course.completion_note = (
                "Behandlingen afsluttet efter aftale med afdelingen; forløbet uden komplikationer."
            )
            course.completed_at = _aware(end, 16, 0)
            if rng.random() < 0.96:
                course.discharge_letter_sent_at = _aware(end + datetime.timedelta(days=1), 10, 0)
        courses.append(course)
    created = Course.objects.bulk_create(courses, batch_size=1000)
    for course in created:
        course.reference = f"IV-{year}-{course.pk:06d}"
    Course.objects.bulk_update(created, ["reference"], batch_size=1000)
    return created


def seed_tag(year: int) -> str:
    """A prefix for the references until the real ones (from the ids) are set."""
    return f"{year}-tmp"


def _bulk_visits(rng, courses) -> tuple[int, int]:
    visits, deviations = [], []
    for course in courses:
        if course.status != Course.Status.COMPLETED:
            continue
        nurses = rng.sample(NURSES, 3)
        hours = {1: [10], 2: [8, 19], 3: [8, 14, 21]}[min(course.visits_per_day, 3)]
        for offset in range(course.days):
            day = course.start_date + datetime.timedelta(days=offset)
            for hour in hours:
                visits.append(
                    Visit(
                        course=course,
                        visited_at=_aware(day, hour, rng.choice((0, 10, 20, 30))),
                        duration_minutes=max(
                            10, course.minutes_per_administration + rng.randint(-5, 10)
                        ),
                        setting=course.setting,
                        given_by=f"Sygeplejerske {rng.choice(nurses)}",
                    )
                )
        if rng.random() < 0.03:
            deviations.append(
                CourseDeviation(
                    course=course,
                    reported_at=_aware(course.start_date + datetime.timedelta(days=1), 11, 30),
                    description=rng.choice(DEVIATIONS),
                    message_sent=rng.random() < 0.9,
                )
            )
    Visit.objects.bulk_create(visits, batch_size=2000)
    CourseDeviation.objects.bulk_create(deviations, batch_size=1000)
    return len(visits), len(deviations)


def _open_courses(rng, year, municipalities, region) -> int:
    """Five courses still open at the end of the year, in each state, through the services."""
    fjordby, havnsoe = municipalities["901"], municipalities["903"]
    december = datetime.date(year, 12, 27)

    def refer(org, type_code, day, **kwargs):
        return services.course_refer(
            municipality=org,
            region=region,
            agreement_id=AGREEMENT_ID,
            treatment_type=type_code,
            setting=kwargs.pop("setting", Setting.HOME),
            hospital="Fjordby Sygehus",
            department="Infektionsmedicinsk afdeling",
            visits_per_day=kwargs.pop("visits_per_day", 2),
            minutes_per_administration=30,
            referred_at=_aware(day, 11, 20),
            **kwargs,
        )

    refer(fjordby, "antibiotika", december + datetime.timedelta(days=3))
    refer(havnsoe, "vaeske", december + datetime.timedelta(days=3), visits_per_day=5)

    accepted = refer(
        fjordby, "pumpe", december + datetime.timedelta(days=1), setting=Setting.CLINIC
    )
    services.course_assess(
        course=accepted, accept=True, at=_aware(december + datetime.timedelta(days=1), 13, 5)
    )
    services.course_plan_record(
        course=accepted,
        plan_text="Pumpeskift dagligt i klinikken. Blodprøver dag 4. Forventet varighed 10 dage.",
        start_date=december + datetime.timedelta(days=2),
        planned_days=10,
        medication_record_updated=True,
        at=_aware(december + datetime.timedelta(days=1), 15, 0),
    )

    treating = refer(fjordby, "antibiotika", december - datetime.timedelta(days=4))
    services.course_assess(
        course=treating, accept=True, at=_aware(december - datetime.timedelta(days=4), 12, 40)
    )
    services.course_plan_record(
        course=treating,
        plan_text="Temperatur og indstikssted ved hvert besøg. CRP dag 3. Forventet varighed 9 dage.",
        start_date=december - datetime.timedelta(days=3),
        planned_days=9,
        medication_record_updated=True,
        at=_aware(december - datetime.timedelta(days=4), 14, 10),
    )
    services.course_delegate(
        course=treating,
        delegated_by="Overlæge, Infektionsmedicinsk afdeling",
        at=_aware(december - datetime.timedelta(days=4), 15, 0),
    )
    for offset in range(5):
        day = december - datetime.timedelta(days=3 - offset)
        for hour in (8, 19):
            services.visit_record(
                course=treating,
                visited_at=_aware(day, hour, 15),
                duration_minutes=30 + rng.randint(-5, 5),
                setting=Setting.HOME,
                given_by=f"Sygeplejerske {NURSES[offset % len(NURSES)]}",
            )
    services.course_deviation_record(
        course=treating,
        description=DEVIATIONS[0],
        message_sent=True,
        at=_aware(december - datetime.timedelta(days=1), 9, 40),
    )
    return 4
