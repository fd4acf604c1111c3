"""The step table (``workflow``) against the services and the screens (``steps``): every step in
every status, the further preconditions, the messages, and that every step's screen resolves.

"Every earlier step done" is counted per step: on an accepted course the plan step is open only
before the plan is recorded (it is recorded once) and the delegation only after it, so the plan
step is tried on an accepted course without a plan and every other step on one with a plan.

The expected workflow below is written out by hand, not read from the table, so a changed
table fails here until the change is made on purpose in both places."""

import datetime
import doctest
import re

import pytest
from django import forms as django_forms
from django.urls import resolve, reverse
from django.utils import translation

from sekretariat.core.errors import ApplicationError
from sekretariat.core.models import AuditEvent
from sekretariat.settlements import services, steps, views, workflow
from sekretariat.settlements.models import Course

from . import factories as f

S = Course.Status
START = datetime.date(2022, 6, 13)
NAMES = ["assess", "plan", "delegate", "visit", "complete", "discharge_letter", "deviation"]
STEP_BY_NAME = {step.name: step for step in workflow.STEPS}

#: step → (URL slug, stored action, statuses allowed from, statuses it leads to)
EXPECTED = {
    "assess": ("vurdering", "course_assess", {S.REFERRED}, {S.ACCEPTED, S.DECLINED}),
    "plan": ("plan", "course_plan_record", {S.ACCEPTED}, set()),
    "delegate": ("delegering", "course_delegate", {S.ACCEPTED}, {S.IN_TREATMENT}),
    "visit": ("besoeg", "visit_record", {S.IN_TREATMENT}, set()),
    "complete": ("afslutning", "course_complete", {S.IN_TREATMENT}, {S.COMPLETED}),
    "discharge_letter": (
        "epikrise",
        "course_discharge_letter_send",
        {S.COMPLETED},
        set(),
    ),
    "deviation": (
        "afvigelse",
        "course_deviation_record",
        {S.ACCEPTED, S.IN_TREATMENT, S.COMPLETED},
        set(),
    ),
}

#: The Danish refusals the services gave before the table, word for word.
REFUSED_BY_STATUS = {
    "assess": "Henvisningen er allerede visiteret.",
    "plan": "Behandlingsplanen registreres, efter at forløbet er visiteret.",
    "delegate": "Delegeringen registreres, efter at forløbet er visiteret.",
    "visit": "Besøg registreres, mens forløbet er i behandling.",
    "complete": "Kun et forløb i behandling kan afsluttes.",
    "discharge_letter": "Epikrisen sendes, efter at forløbet er afsluttet.",
    "deviation": "Afvigelser registreres på visiterede forløb.",
}
PLAN_FIRST = "Registrér behandlingsplanen før delegeringen."
LETTER_ONCE = "Epikrisen er allerede registreret som sendt."
#: New with the rule that the plan is recorded once (the services had no such refusal before).
PLAN_ONCE = "Behandlingsplanen er allerede registreret."

#: The forms the course page offers in each status (every earlier step done, on an accepted
#: course the plan too), in page order.
PAGE_SLUGS = {
    S.REFERRED: ["vurdering"],
    S.DECLINED: [],
    S.ACCEPTED: ["delegering", "afvigelse"],
    S.IN_TREATMENT: ["besoeg", "afslutning", "afvigelse"],
    S.COMPLETED: ["epikrise", "afvigelse"],
}

ALL = [(name, status) for name in NAMES for status in S.values]


def _unsaved(status: str, *, plan: bool = True, **fields) -> Course:
    """A course in ``status`` with every earlier step's stamp set (no database); ``plan=False``
    leaves the plan unrecorded."""
    return Course(status=status, plan_recorded_at=f.aware(START) if plan else None, **fields)


def _plan_done_before(name: str, status: str) -> bool:
    """Whether the plan is recorded on a course in ``status`` that is ready for step ``name``:
    on an accepted course the plan step needs it unrecorded, every other step recorded."""
    return not (name == "plan" and status == S.ACCEPTED)


# --- the table itself (no database) ---------------------------------------------------------


def test_the_table_holds_the_documented_workflow():
    assert [step.name for step in workflow.STEPS] == NAMES
    for step in workflow.STEPS:
        slug, action, allowed_from, leads_to = EXPECTED[step.name]
        assert (step.slug, step.action) == (slug, action), step.name
        assert set(step.allowed_from) == allowed_from, step.name
        assert set(step.leads_to) == leads_to, step.name
    actions = [workflow.REFER_ACTION] + [step.action for step in workflow.STEPS]
    assert actions == [
        "course_refer",
        "course_assess",
        "course_plan_record",
        "course_delegate",
        "visit_record",
        "course_complete",
        "course_discharge_letter_send",
        "course_deviation_record",
    ]


def test_every_message_is_the_services_former_danish_text():
    with translation.override("da"):
        for name, text in REFUSED_BY_STATUS.items():
            assert str(STEP_BY_NAME[name].not_allowed) == text, name
        assert [str(p.message) for p in workflow.PLAN.preconditions] == [PLAN_ONCE]
        assert [str(p.message) for p in workflow.DELEGATE.preconditions] == [PLAN_FIRST]
        assert [str(p.message) for p in workflow.DISCHARGE_LETTER.preconditions] == [LETTER_ONCE]
        assert [step for step in workflow.STEPS if step.preconditions] == [
            workflow.PLAN,
            workflow.DELEGATE,
            workflow.DISCHARGE_LETTER,
        ]


@pytest.mark.parametrize("step", workflow.STEPS, ids=lambda step: step.name)
def test_every_step_has_a_form_a_service_and_danish_texts(step):
    screen = steps.SCREENS[step]
    assert issubclass(screen.form_class, django_forms.Form)
    assert callable(screen.perform) and screen.perform.__name__ != "<lambda>"
    for text in (step.label, screen.done, step.submit_label, step.not_allowed):
        with translation.override("en"):
            english = str(text)
        with translation.override("da"):
            danish = str(text)
        assert english and danish != english, f"{step.name}: {english!r} has no Danish text"


@pytest.mark.parametrize("step", workflow.STEPS, ids=lambda step: step.name)
def test_every_slug_resolves_to_the_step_view(step):
    url = reverse("settlements:course_step", kwargs={"pk": 4711, "step": step.slug})
    match = resolve(url)
    assert match.func is views.course_step
    assert match.kwargs == {"pk": 4711, "step": step.slug}
    assert workflow.step_for_slug(step.slug) is step
    assert workflow.step_for_slug(step.name.upper()) is None


@pytest.mark.parametrize(("name", "status"), ALL)
def test_a_step_is_open_exactly_in_the_statuses_the_table_names(name, status):
    step = STEP_BY_NAME[name]
    course = _unsaved(status, plan=_plan_done_before(name, status))
    if status in EXPECTED[name][2]:
        assert workflow.refusal(course, step) is None
        assert step in workflow.open_steps(course)
        workflow.require(course, step)
    else:
        assert workflow.refusal(course, step) == step.not_allowed
        assert step not in workflow.open_steps(course)
        with pytest.raises(ApplicationError) as exc:
            workflow.require(course, step)
        assert exc.value.message == REFUSED_BY_STATUS[name]


def test_delegation_waits_for_the_plan_and_the_letter_is_recorded_once():
    no_plan = Course(status=S.ACCEPTED)
    assert workflow.refusal(no_plan, workflow.DELEGATE) == PLAN_FIRST
    assert [step.slug for step in workflow.open_steps(no_plan)] == ["plan", "afvigelse"]
    planned = _unsaved(S.ACCEPTED)
    assert workflow.refusal(planned, workflow.PLAN) == PLAN_ONCE
    assert [step.slug for step in workflow.open_steps(planned)] == ["delegering", "afvigelse"]
    sent = _unsaved(S.COMPLETED, discharge_letter_sent_at=f.aware(START, 9))
    assert workflow.refusal(sent, workflow.DISCHARGE_LETTER) == LETTER_ONCE
    assert [step.slug for step in workflow.open_steps(sent)] == ["afvigelse"]
    # The status is checked before the further preconditions.
    referred = Course(status=S.REFERRED)
    assert workflow.refusal(referred, workflow.DELEGATE) == REFUSED_BY_STATUS["delegate"]
    treated = _unsaved(S.IN_TREATMENT)
    assert workflow.refusal(treated, workflow.PLAN) == REFUSED_BY_STATUS["plan"]


def test_advance_moves_only_to_a_status_the_step_leads_to():
    course = _unsaved(S.REFERRED)
    workflow.advance(course, workflow.ASSESS, S.DECLINED)
    assert course.status == S.DECLINED
    with pytest.raises(ValueError):
        workflow.advance(course, workflow.ASSESS)  # two outcomes: one must be named
    with pytest.raises(ValueError):
        workflow.advance(course, workflow.COMPLETE, S.DECLINED)
    workflow.advance(course, workflow.COMPLETE)
    assert course.status == S.COMPLETED


def test_the_module_examples_and_its_table_of_steps():
    assert doctest.testmod(workflow).failed == 0
    for step in workflow.STEPS:
        assert re.search(rf"``{step.name}``\s+{step.slug}\s", workflow.__doc__), step.name


# --- the services, in the database ----------------------------------------------------------


def _course_in(status: str, *, plan: bool = True) -> Course:
    """A course in ``status`` with every earlier step done, built through the services;
    ``plan=False`` leaves an accepted course without its plan."""
    org, reg = f.municipality(), f.region()
    if status == S.COMPLETED:
        return f.completed(org, reg, start=START, days=5)
    course = f.referred(org, reg, day=START)
    if status == S.DECLINED:
        services.course_assess(
            course=course, accept=False, decline_category="andet", decline_reason="Afvist 6c1d"
        )
    if status in (S.ACCEPTED, S.IN_TREATMENT):
        services.course_assess(course=course, accept=True)
    if status == S.IN_TREATMENT or (status == S.ACCEPTED and plan):
        services.course_plan_record(course=course, plan_text="Plan 6c1d", start_date=START)
    if status == S.IN_TREATMENT:
        services.course_delegate(course=course, delegated_by="Overlæge 6c1d")
    assert f.status_of(course) == status
    planned = status in (S.IN_TREATMENT, S.COMPLETED) or (status == S.ACCEPTED and plan)
    assert (course.plan_recorded_at is not None) == planned
    return course


def _course_for(name: str, status: str) -> Course:
    """A course in ``status`` ready for step ``name`` (see ``_plan_done_before``)."""
    return _course_in(status, plan=_plan_done_before(name, status))


def _call_service(name: str, course: Course):
    """The step's service, called directly with valid, distinctive values."""
    day = START + datetime.timedelta(days=2)
    if name == "assess":
        return services.course_assess(course=course, accept=True)
    if name == "plan":
        return services.course_plan_record(
            course=course, plan_text="Ny plan 6c1d", start_date=START, planned_days=6
        )
    if name == "delegate":
        return services.course_delegate(course=course, delegated_by="Overlæge Ask 6c1d")
    if name == "visit":
        return services.visit_record(
            course=course,
            visited_at=f.aware(day, 8, 40),
            duration_minutes=41,
            setting="klinik",
            given_by="SSA Birk 6c1d",
        )
    if name == "complete":
        return services.course_complete(
            course=course, end_date=day, completion_note="Afsluttet 6c1d"
        )
    if name == "discharge_letter":
        return services.course_discharge_letter_send(course=course)
    assert name == "deviation"
    return services.course_deviation_record(course=course, description="Venflon 6c1d")


def _actions(course: Course) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="settlements.course", object_id=str(course.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "status"), ALL)
def test_the_service_follows_the_table_in_every_status(name, status):
    step = STEP_BY_NAME[name]
    course = _course_for(name, status)
    before = _actions(course)
    if status in step.allowed_from:
        _call_service(name, course)
        assert f.status_of(course) in (set(step.leads_to) or {status})
        assert _actions(course) == before + [step.action]
        row = AuditEvent.objects.filter(object_id=str(course.pk)).latest("id")
        assert row.data["event"]["step"] == step.action
    else:
        with pytest.raises(ApplicationError) as exc:
            _call_service(name, course)
        assert exc.value.message == REFUSED_BY_STATUS[name]
        assert f.status_of(course) == status
        assert _actions(course) == before


@pytest.mark.django_db
def test_the_services_refuse_the_further_preconditions_with_the_tables_message():
    course = f.referred(f.municipality(), f.region(), day=START)
    services.course_assess(course=course, accept=True)
    with pytest.raises(ApplicationError) as exc:
        _call_service("delegate", course)
    assert exc.value.message == PLAN_FIRST and f.status_of(course) == S.ACCEPTED
    done = _course_in(S.COMPLETED)
    _call_service("discharge_letter", done)
    with pytest.raises(ApplicationError) as exc:
        _call_service("discharge_letter", done)
    assert exc.value.message == LETTER_ONCE
    assert _actions(done).count("course_discharge_letter_send") == 1


def _row(course: Course) -> dict:
    return Course.objects.filter(pk=course.pk).values().get()


@pytest.mark.django_db
def test_the_service_refuses_a_second_plan_and_writes_nothing():
    course = _course_in(S.ACCEPTED, plan=False)
    _call_service("plan", course)
    course.refresh_from_db()
    assert course.plan_text == "Ny plan 6c1d" and course.planned_days == 6
    row, before, audit_rows = _row(course), _actions(course), AuditEvent.objects.count()
    with pytest.raises(ApplicationError) as exc:
        services.course_plan_record(
            course=course,
            plan_text="Anden plan 6c1d",
            start_date=START + datetime.timedelta(days=1),
            planned_days=9,
            medication_record_updated=not course.medication_record_updated,
        )
    assert exc.value.message == PLAN_ONCE
    assert _row(course) == row
    assert _actions(course) == before and before.count("course_plan_record") == 1
    assert AuditEvent.objects.count() == audit_rows


#: Form data of each step, as a browser posts it.
FORM_DATA = {
    "assess": {"decision": "accept", "decline_category": "", "decline_reason": ""},
    "plan": {"plan_text": "Plan fra formular 8e2f", "start_date": "2022-06-13"},
    "delegate": {"delegated_by": "Overlæge Eg 8e2f"},
    "visit": {
        "visited_at": "2022-06-14T09:05",
        "duration_minutes": "33",
        "setting": "hjemme",
        "given_by": "SSA Eg 8e2f",
    },
    "complete": {"end_date": "2022-06-15", "completion_note": "Afsluttet 8e2f"},
    "discharge_letter": {},
    "deviation": {"description": "Afvigelse 8e2f", "message_sent": "on"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
def test_each_steps_form_and_perform_reach_its_own_service(name):
    step = STEP_BY_NAME[name]
    screen = steps.SCREENS[step]
    course = _course_for(name, min(step.allowed_from))
    form = screen.form(course, FORM_DATA[name])
    assert form.is_valid(), form.errors
    before = _actions(course)
    screen.perform(course, form.cleaned_data, f.municipal_user(course.municipality))
    assert _actions(course) == before + [step.action]


# --- the screens ----------------------------------------------------------------------------


def _step_url(course: Course, slug: str) -> str:
    return reverse("settlements:course_step", kwargs={"pk": course.pk, "step": slug})


def _page_slugs(client, course: Course) -> list[str]:
    """The steps whose forms the course page shows, by URL slug, in page order."""
    page = client.get(reverse("settlements:course_detail", kwargs={"pk": course.pk})).text
    return re.findall(rf'action="/[^"]*/forloeb/{course.pk}/([a-z]+)/"', page)


@pytest.mark.django_db
@pytest.mark.parametrize("status", S.values)
def test_the_course_page_offers_the_forms_of_the_open_steps(client, status):
    course = _course_in(status)
    client.force_login(f.municipal_user(course.municipality))
    shown = _page_slugs(client, course)
    assert shown == PAGE_SLUGS[status]
    assert shown == [step.slug for step in workflow.open_steps(course)]


@pytest.mark.django_db
def test_the_accepted_course_page_offers_the_plan_then_the_delegation(client):
    course = _course_in(S.ACCEPTED, plan=False)
    client.force_login(f.municipal_user(course.municipality))
    assert _page_slugs(client, course) == ["plan", "afvigelse"]
    assert client.post(_step_url(course, "plan"), FORM_DATA["plan"]).status_code == 302
    assert _page_slugs(client, course) == ["delegering", "afvigelse"]
    assert f.status_of(course) == S.ACCEPTED


@pytest.mark.django_db
def test_the_screen_refuses_a_second_plan_with_the_services_message(client):
    course = _course_in(S.ACCEPTED)
    client.force_login(f.municipal_user(course.municipality))
    row, before = _row(course), _actions(course)
    r = client.post(_step_url(course, "plan"), FORM_DATA["plan"])
    assert r.status_code == 200 and PLAN_ONCE in r.text
    assert _row(course) == row and _actions(course) == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
def test_the_screen_refuses_a_step_not_open_with_the_services_message(client, name):
    course = _course_in(S.DECLINED)
    client.force_login(f.municipal_user(course.municipality))
    before = _actions(course)
    r = client.post(_step_url(course, STEP_BY_NAME[name].slug), FORM_DATA[name])
    assert r.status_code == 200
    assert REFUSED_BY_STATUS[name] in r.text
    assert f.status_of(course) == S.DECLINED and _actions(course) == before


@pytest.mark.django_db
def test_the_screen_refuses_a_second_discharge_letter_with_the_services_message(client):
    course = _course_in(S.COMPLETED)
    client.force_login(f.municipal_user(course.municipality))
    assert client.post(_step_url(course, "epikrise"), {}).status_code == 302
    r = client.post(_step_url(course, "epikrise"), {})
    assert r.status_code == 200 and LETTER_ONCE in r.text
    assert _actions(course).count("course_discharge_letter_send") == 1
