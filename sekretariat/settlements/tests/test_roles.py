"""Every role of the IV register against every action, own and other municipality or region.

The table is the specification: for each action (a screen or a write) and each viewer, the status
the server must answer. A write that is refused must also leave nothing behind; a read that is
refused must not carry the course's text.
"""

import datetime

import pypdfium2 as pdfium
import pytest
from django.urls import reverse

from sekretariat.bodies.tests import factories as bf
from sekretariat.core.errors import ApplicationError
from sekretariat.core.models import AuditEvent
from sekretariat.settlements import services
from sekretariat.settlements.models import CourseAccess, CourseDeviation

from . import factories as f

pytestmark = pytest.mark.django_db

VIEWERS = [
    "public",
    "forum_member",
    "director_own",  # works in the course's municipality, no grant
    "staff_no_grant",  # secretariat staff (edits fora) without an IV grant
    "nurse_own",
    "nurse_other",  # same region, other municipality
    "secretariat",
    "finance_own",  # the course's region
    "finance_other",
    "access_admin",
    "superuser",
]

LOGIN = 302  # the public is sent to the log-in page

# action -> viewers answered 200 (or 302 for a write that succeeded); 404 where the thing
# exists but is not theirs; everybody else 403 (the public: the log-in page).
TABLE = {
    "home": {
        "ok": {
            "nurse_own",
            "nurse_other",
            "secretariat",
            "finance_own",
            "finance_other",
            "access_admin",
            "superuser",
        },
        "not_found": set(),
    },
    "course_list": {"ok": {"nurse_own", "nurse_other", "secretariat", "superuser"}},
    "course_detail": {
        "ok": {"nurse_own", "secretariat", "superuser"},
        "not_found": {"nurse_other"},
    },
    "course_create": {"ok": {"nurse_own", "nurse_other"}},
    "record_deviation": {"ok": {"nurse_own"}, "not_found": {"nurse_other"}},
    "run_list": {
        "ok": {
            "nurse_own",
            "nurse_other",
            "secretariat",
            "finance_own",
            "finance_other",
            "superuser",
        }
    },
    "run_detail": {
        "ok": {"nurse_own", "nurse_other", "secretariat", "finance_own", "superuser"},
        "not_found": {"finance_other"},
    },
    "run_csv": {
        "ok": {"secretariat", "finance_own", "superuser"},
        "not_found": {"finance_other"},
    },
    "statement_own_municipality": {
        "ok": {"nurse_own", "secretariat", "finance_own", "superuser"},
        "not_found": {"nurse_other", "finance_other"},
    },
    "report": {
        "ok": {
            "nurse_own",
            "nurse_other",
            "secretariat",
            "finance_own",
            "finance_other",
            "superuser",
        }
    },
    "population": {"ok": {"secretariat", "superuser"}},
    "run_settlement": {"ok": {"secretariat", "superuser"}},
    "access_screen": {"ok": {"access_admin", "superuser"}},
    "grant_access": {"ok": {"access_admin", "superuser"}},
}


@pytest.fixture
def world():
    reg, reg_other = f.region("Region Rolle 4c4c"), f.region("Region Anden 4c4c")
    own, other = f.municipality("Rollekommune 4c4c"), f.municipality("Nabokommune 4c4c")
    course = f.completed(own, reg, hospital="Rollehospitalet 4c4c")
    f.completed(other, reg, hospital="Nabohospitalet 4c4c")
    run = services.settlement_run_create(region=reg, year=2022, agreement_id=f.AGREEMENT)
    staff = bf.user()
    bf.secretariat().staff.add(staff)
    users = {
        "public": None,
        "forum_member": bf.member_user(bf.body()),
        "director_own": f.employee_without_grant(own),
        "staff_no_grant": staff,
        "nurse_own": f.municipal_user(own),
        "nurse_other": f.municipal_user(other),
        "secretariat": f.secretariat_staff(),
        "finance_own": f.finance_user(reg),
        "finance_other": f.finance_user(reg_other),
        "access_admin": f.access_admin(),
        "superuser": bf.admin_user(),
    }
    grantee = f.employee_without_grant(own)
    return {
        "own": own,
        "reg": reg,
        "course": course,
        "run": run,
        "users": users,
        "grantee": grantee,
    }


def _request(client, action: str, w: dict):
    course, run, own, reg = w["course"], w["run"], w["own"], w["reg"]
    if action == "home":
        return client.get(reverse("settlements:home"))
    if action == "course_list":
        return client.get(reverse("settlements:course_list"))
    if action == "course_detail":
        return client.get(reverse("settlements:course_detail", kwargs={"pk": course.pk}))
    if action == "course_create":
        return client.get(reverse("settlements:course_create"))
    if action == "record_deviation":
        url = reverse("settlements:course_step", kwargs={"pk": course.pk, "step": "afvigelse"})
        return client.post(url, {"description": "Afvigelse fra rolletest 4c4c"})
    if action == "run_list":
        return client.get(reverse("settlements:run_list"))
    if action == "run_detail":
        return client.get(reverse("settlements:run_detail", kwargs={"pk": run.pk}))
    if action == "run_csv":
        return client.get(reverse("settlements:run_csv", kwargs={"pk": run.pk}))
    if action == "statement_own_municipality":
        url = reverse(
            "settlements:statement_xlsx", kwargs={"pk": run.pk, "municipality_pk": own.pk}
        )
        return client.get(url)
    if action == "report":
        return client.get(reverse("settlements:report"))
    if action == "population":
        return client.get(reverse("settlements:population"))
    if action == "run_settlement":
        data = {"region": reg.pk, "year": 2022, "agreement_id": f.AGREEMENT}
        return client.post(reverse("settlements:run_list"), data)
    if action == "access_screen":
        return client.get(reverse("settlements:access"))
    if action == "grant_access":
        data = {"user": w["grantee"].pk, "role": "kommune", "organisation": own.pk}
        return client.post(reverse("settlements:access"), data)
    raise AssertionError(action)


WRITES = {"record_deviation", "run_settlement", "grant_access"}


def _expected(action: str, viewer: str) -> int:
    row = TABLE[action]
    if viewer in row["ok"]:
        return 302 if action in WRITES else 200
    if viewer == "public":
        return LOGIN
    if viewer in row.get("not_found", set()):
        return 404
    return 403


def _written(action: str, w: dict) -> int:
    if action == "record_deviation":
        return CourseDeviation.objects.filter(description__contains="rolletest 4c4c").count()
    if action == "run_settlement":
        return w["run"].__class__.objects.count()
    if action == "grant_access":
        return CourseAccess.objects.filter(user=w["grantee"]).count()
    return 0


@pytest.mark.parametrize("action", sorted(TABLE))
def test_every_role_gets_what_the_table_says(client, world, action):
    seen = {}
    for viewer in VIEWERS:
        client.logout()
        user = world["users"][viewer]
        if user is not None:
            client.force_login(user)
        before = _written(action, world)
        r = _request(client, action, world)
        expected = _expected(action, viewer)
        seen[viewer] = r.status_code
        assert r.status_code == expected, (action, viewer, r.status_code)
        if viewer in TABLE[action]["ok"]:
            if action in WRITES:
                assert _written(action, world) > before, (action, viewer)
            if action == "grant_access":
                # Undo the grant so the next viewer's attempt is judged on its own.
                CourseAccess.objects.filter(user=world["grantee"]).delete()
            continue
        # Refused: nothing written, and no course text in the answer.
        assert _written(action, world) == before, (action, viewer)
        assert "Rollehospitalet 4c4c" not in r.content.decode("utf-8", "replace"), (action, viewer)
    assert set(seen) == set(VIEWERS)


def test_a_grant_and_a_revocation_are_audited_and_take_effect(client, world):
    admin, grantee, own = world["users"]["access_admin"], world["grantee"], world["own"]
    course_url = reverse("settlements:course_detail", kwargs={"pk": world["course"].pk})
    client.force_login(grantee)
    assert client.get(course_url).status_code == 403
    client.force_login(admin)
    r = client.post(
        reverse("settlements:access"),
        {"user": grantee.pk, "role": "kommune", "organisation": own.pk},
    )
    assert r.status_code == 302
    grant = CourseAccess.objects.get(user=grantee, revoked_at__isnull=True)
    assert grant.granted_by == admin
    event = AuditEvent.objects.filter(action="course_access_grant").latest("id")
    assert event.actor_id == admin.pk and event.data["details"]["user"] == grantee.username
    page = client.get(reverse("settlements:access")).text
    assert grantee.username in page and "Rollekommune 4c4c" in page
    client.force_login(grantee)
    assert client.get(course_url).status_code == 200
    client.force_login(admin)
    url = reverse("settlements:access_revoke", kwargs={"pk": grant.pk})
    assert client.post(url).status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None and grant.revoked_by == admin
    assert AuditEvent.objects.filter(action="course_access_revoke").exists()
    client.force_login(grantee)
    assert client.get(course_url).status_code == 403
    # The history keeps the revoked grant.
    client.force_login(admin)
    assert "Tilbagekaldt adgang" in client.get(reverse("settlements:access")).text


def test_nobody_grants_to_themselves_and_roles_need_the_right_organisation(world):
    admin, own, reg = world["users"]["access_admin"], world["own"], world["reg"]

    with pytest.raises(ApplicationError, match="sig selv"):
        services.course_access_grant(user=admin, role="kommune", organisation=own, actor=admin)
    with pytest.raises(ApplicationError) as exc:
        services.course_access_grant(
            user=world["grantee"], role="kommune", organisation=reg, actor=admin
        )
    assert exc.value.field == "organisation"
    with pytest.raises(ApplicationError):
        services.course_access_grant(
            user=world["grantee"], role="region_oekonomi", organisation=own, actor=admin
        )
    nurse = world["users"]["nurse_own"]
    with pytest.raises(ApplicationError):  # a nurse grants nothing
        services.course_access_grant(
            user=world["grantee"], role="kommune", organisation=own, actor=nurse
        )
    with pytest.raises(ApplicationError, match="allerede"):
        services.course_access_grant(user=nurse, role="kommune", organisation=own, actor=admin)


def test_the_header_links_to_the_iv_area_for_every_role_that_has_one(client, world):
    home = reverse("settlements:home")
    for viewer in ("nurse_own", "finance_own", "access_admin", "secretariat"):
        client.force_login(world["users"][viewer])
        assert f'href="{home}"' in client.get("/").text, viewer
    for viewer in ("forum_member", "director_own", "staff_no_grant"):
        client.force_login(world["users"][viewer])
        assert f'href="{home}"' not in client.get("/").text, viewer


def test_the_decline_note_stays_with_its_municipality_and_the_report_shows_the_category(
    client, world
):
    own, reg = world["own"], world["reg"]
    course = f.referred(own, reg, day=datetime.date(2022, 5, 3))
    services.course_assess(
        course=course,
        accept=False,
        decline_category="kapacitet",
        decline_reason="Kun Hanne kan lægge drop på lørdag 4c4c",
    )
    url = reverse("settlements:course_detail", kwargs={"pk": course.pk})
    report = (
        reverse("settlements:report") + f"?region={reg.pk}&year=2022&quarter=2"
        f"&agreement_id={f.AGREEMENT}"
    )
    client.force_login(world["users"]["nurse_own"])
    r = client.get(url)
    assert "Kun Hanne kan lægge drop på lørdag 4c4c" in r.text
    assert "ingen ledig kapacitet i sygeplejen" in r.text.lower()
    for viewer in ("secretariat", "superuser", "nurse_other", "finance_own"):
        client.force_login(world["users"][viewer])
        r = client.get(url)
        assert "Kun Hanne" not in r.text, viewer
        r = client.get(report)
        assert r.status_code == 200, viewer
        assert "Kun Hanne" not in r.text and "ingen ledig kapacitet" in r.text.lower(), viewer
    r = client.get(reverse("settlements:report_pdf") + "?" + report.split("?", 1)[1])
    assert r.status_code == 200
    pdf = pdfium.PdfDocument(r.content)
    text = "".join(page.get_textpage().get_text_range() for page in pdf)
    assert "Kun Hanne" not in text and "ingen ledig kapacitet" in text.lower()
