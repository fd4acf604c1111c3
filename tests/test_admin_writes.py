"""No write through the Django admin bypasses the services.

A change saved by the admin itself is missing from the audit trail and from the search index
(which follows the events). So every admin page of our apps either writes nothing (the rows are
edited in the secretariat's screens) or calls the owning service (what only the admin creates
today: organisations, secretariats, bodies, people, section types; a case's title). Checked
twice: on the registry (permissions and overridden methods), and by posting through the admin.
"""

import datetime

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.core.files.base import ContentFile
from django.forms import MultiWidget
from django.urls import reverse
from django.utils import translation

from sekretariat.bodies import services as body_services
from sekretariat.bodies.models import Body, Organisation, Person, Secretariat
from sekretariat.bodies.selectors import PUBLIC
from sekretariat.bodies.tests import factories as bf
from sekretariat.cases.models import Case
from sekretariat.cases.services import case_for_journal_number
from sekretariat.core.models import AuditEvent
from sekretariat.meetings import services as ms
from sekretariat.meetings.models import (
    Attachment,
    ItemSection,
    Meeting,
    MinutesCorrection,
)
from sekretariat.meetings.tests import factories as mf
from sekretariat.search import services as search_services
from sekretariat.search.selectors import search

pytestmark = pytest.mark.django_db

OUR_APPS = {"bodies", "cases", "core", "meetings"}
OUR_MODELS = sorted(
    model._meta.label for model in admin.site._registry if model._meta.app_label in OUR_APPS
)
# What the admin may still create and change (through the services), and what it only shows.
SERVICE_WRITTEN = {
    "bodies.Organisation",
    "bodies.Secretariat",
    "bodies.Body",
    "bodies.Person",
    "cases.Case",
    "meetings.SectionType",
}
READ_ONLY = {
    "bodies.Membership",
    "bodies.Appointment",
    "core.AuditEvent",
    "meetings.Meeting",
    "meetings.AgendaItem",
    "meetings.Attendance",
    "meetings.MinutesCorrection",
}
WRITING_METHODS = ("save_model", "delete_model", "delete_queryset", "save_related")


def _admin_of(label: str):
    return next(ma for model, ma in admin.site._registry.items() if model._meta.label == label)


def _defined_by_us(cls, name: str) -> bool:
    """Whether `name` comes from a class of ours (not Django's default that writes)."""
    owner = next(klass for klass in cls.__mro__ if name in vars(klass))
    return owner.__module__.startswith("sekretariat.")


@pytest.fixture
def superuser():
    return bf.admin_user()


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def admin_request(rf, superuser):
    request = rf.get("/admin/")
    request.user = superuser
    return request


def _catch_up():
    while search_services.search_catch_up(limit=1000):
        pass


def _titles(query: str) -> set[str]:
    return {hit.title for hit in search(query, PUBLIC).hits}


def _url(obj, view: str = "change") -> str:
    opts = obj._meta
    args = [obj.pk] if view in ("change", "delete") else []
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def _form_data(response, **changes) -> dict:
    """What a browser posts from the admin page of `response` (the form and every inline
    formset, management forms included), with `changes` on top."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for bound in form:
            value = bound.value()
            widget = bound.field.widget
            if isinstance(widget, MultiWidget):
                for i, part in enumerate(widget.decompress(value)):
                    data[f"{bound.html_name}_{i}"] = "" if part is None else str(part)
            elif isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            else:
                data[bound.html_name] = "" if value is None else str(value)
    return data | changes


def _events_since(start: int, **filters):
    return AuditEvent.objects.filter(pk__gt=start, **filters)


def _last_event_id() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


# --- (a) the registry: nothing of ours writes around the services ---------------------------


def test_every_model_of_ours_is_accounted_for():
    assert set(OUR_MODELS) == SERVICE_WRITTEN | READ_ONLY


@pytest.mark.parametrize("label", OUR_MODELS)
def test_the_admin_writes_nothing_itself(label, admin_request):
    model_admin = _admin_of(label)
    cls = type(model_admin)
    can_write = (
        model_admin.has_add_permission(admin_request),
        model_admin.has_change_permission(admin_request),
        model_admin.has_delete_permission(admin_request),
    )
    if label in READ_ONLY:
        assert can_write == (False, False, False)
    else:
        assert model_admin.has_change_permission(admin_request)
        # Add and change go through our save_model (which calls the service); deleting is
        # not offered, and a delete that got through would be refused by our methods too.
        assert not model_admin.has_delete_permission(admin_request)
    for name in WRITING_METHODS:
        assert _defined_by_us(cls, name), f"{cls.__name__}.{name} is Django's, which writes"
    assert "delete_selected" not in model_admin.get_actions(admin_request)
    assert not model_admin.list_editable
    for inline_class in model_admin.inlines:
        inline = inline_class(model_admin.model, admin.site)
        assert not inline.has_add_permission(admin_request, None)
        assert not inline.has_change_permission(admin_request, None)
        assert not inline.has_delete_permission(admin_request, None)


# --- (b) through the admin's pages -----------------------------------------------------------


def test_renaming_a_body_records_the_event_and_search_shows_the_new_name(admin_client, superuser):
    body = bf.body("Styregruppen for Klitby 4c7a", slug="klitby-4c7a")
    _catch_up()
    assert "Styregruppen for Klitby 4c7a" in _titles("klitby 4c7a")
    start = _last_event_id()

    page = admin_client.get(_url(body))
    r = admin_client.post(_url(body), _form_data(page, name="Styregruppen for Havnsø 8c2f"))

    assert r.status_code == 302, r.context and r.context["adminform"].form.errors
    body.refresh_from_db()
    assert body.name == "Styregruppen for Havnsø 8c2f"
    event = _events_since(start, event="body_changed").get()
    assert (event.object_id, event.action, event.actor) == (str(body.pk), "body_update", superuser)
    assert event.data["details"]["changed"] == ["name"]
    _catch_up()
    assert "Styregruppen for Havnsø 8c2f" in _titles("havnsø 8c2f")
    assert "Styregruppen for Klitby 4c7a" not in _titles("klitby 4c7a")


def test_creating_an_organisation_and_a_person_records_events(admin_client):
    start = _last_event_id()
    r = admin_client.post(
        reverse("admin:bodies_organisation_add"),
        {"name": "Klitby Kommune 3d9e", "kind": "kommune", "code": "913"},
    )
    assert r.status_code == 302
    organisation = Organisation.objects.get(name="Klitby Kommune 3d9e")
    assert _events_since(
        start, event="organisation_changed", action="organisation_create"
    ).get().object_id == str(organisation.pk)

    r = admin_client.post(
        reverse("admin:bodies_person_add"),
        {
            "name": "Ida Strandgaard 6b1c",
            "job_title": "Kommunaldirektør",
            "organisation": organisation.pk,
            "email": "ida.6b1c@example.invalid",
            "user": "",
        },
    )
    assert r.status_code == 302
    person = Person.objects.get(name="Ida Strandgaard 6b1c")
    assert person.organisation == organisation
    event = _events_since(start, event="people_changed").get()
    assert (event.action, event.data["event"]["person_ids"]) == ("person_create", [person.pk])
    _catch_up()
    assert "Ida Strandgaard 6b1c" in _titles("strandgaard 6b1c")


def test_changing_a_person_records_the_login_it_was_given(admin_client):
    person = body_services.person_create(name="Mads Klitgaard 2b8e")
    login = bf.user("mklitgaard-2b8e")
    start = _last_event_id()
    page = admin_client.get(_url(person))
    r = admin_client.post(_url(person), _form_data(page, user=str(login.pk)))
    assert r.status_code == 302
    event = _events_since(start, event="people_changed").get()
    assert event.action == "person_update"
    assert event.data["details"]["user"] == [None, login.pk]


def test_creating_a_body_and_a_section_type_records_events(admin_client):
    secretariat = bf.secretariat()
    organisation = bf.organisation()
    start = _last_event_id()
    r = admin_client.post(
        reverse("admin:bodies_body_add"),
        {
            "name": "Klyngestyregruppen 5f0a",
            "slug": "klyngestyregruppen-5f0a",
            "kind": "styregruppe",
            "organisation": organisation.pk,
            "secretariat": secretariat.pk,
            "meetings_per_year": "6",
            "default_location": "Rådhuset, mødelokale 5f0a",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "terms_of_reference-TOTAL_FORMS": "0",
            "terms_of_reference-INITIAL_FORMS": "0",
        },
    )
    assert r.status_code == 302, r.context and r.context["adminform"].form.errors
    body = Body.objects.get(slug="klyngestyregruppen-5f0a")
    assert (body.secretariat, body.meetings_per_year) == (secretariat, 6)
    assert _events_since(start, event="body_changed", action="body_create").get().object_id == str(
        body.pk
    )

    r = admin_client.post(
        reverse("admin:meetings_sectiontype_add"),
        {"body": body.pk, "name": "Økonomi 5f0a", "role": "andet", "position": "9"},
    )
    assert r.status_code == 302
    # The template starts from the usual four sections, so it keeps its decision section.
    assert list(body.section_types.values_list("name", flat=True)) == [
        "Resumé",
        "Indstilling",
        "Sagsfremstilling",
        "Beslutning",
        "Økonomi 5f0a",
    ]
    assert _events_since(start, action="section_type_create", object_id=str(body.pk)).exists()


def test_renaming_a_section_type_reindexes_the_items_that_use_it(admin_client):
    meeting = mf.meeting()
    item = mf.item(meeting, sections={"resume": "Kort om sagen 1c4d"})
    summary = meeting.body.section_types.get(role="resume")
    start = _last_event_id()
    page = admin_client.get(_url(summary))
    r = admin_client.post(_url(summary), _form_data(page, name="Baggrund 1c4d"))
    assert r.status_code == 302
    event = _events_since(start, event="agenda_items_changed").get()
    assert event.data["event"]["item_ids"] == [item.pk]


def test_the_decision_section_keeps_its_role(admin_client):
    body = bf.body()
    decision = next(st for st in ms.section_template_ensure(body) if st.is_decision)
    start = _last_event_id()
    page = admin_client.get(_url(decision))
    r = admin_client.post(_url(decision), _form_data(page, role="andet"))
    assert r.status_code == 200
    assert r.context["adminform"].form.errors["role"]
    decision.refresh_from_db()
    assert decision.role == "beslutning"
    assert not _events_since(start).exists()


def test_a_refused_change_shows_the_services_message_and_saves_nothing(admin_client):
    parent = bf.body("Direktørkredsen 0e6b")
    child = bf.body("Arbejdsgruppen 0e6b", parent=parent)
    start, logged = _last_event_id(), LogEntry.objects.count()
    page = admin_client.get(_url(parent))

    r = admin_client.post(
        _url(parent), _form_data(page, name="Direktørkredsen omdøbt 0e6b", parent=str(child.pk))
    )

    assert r.status_code == 200
    with translation.override("da"):
        message = translation.gettext(
            "A body cannot be placed under itself or under one of its own bodies."
        )
    assert r.context["adminform"].form.errors["parent"] == [message]
    assert message in r.content.decode()
    parent.refresh_from_db()
    assert (parent.name, parent.parent) == ("Direktørkredsen 0e6b", None)
    assert not _events_since(start).exists()
    assert LogEntry.objects.count() == logged


def test_a_secretariats_staff_change_is_kept_in_the_audit_trail(admin_client):
    secretariat = bf.secretariat("Sekretariatet 9d3a")
    newcomer = bf.user("nyansat-9d3a")
    start = _last_event_id()
    page = admin_client.get(_url(secretariat))
    r = admin_client.post(_url(secretariat), _form_data(page, staff=[str(newcomer.pk)]))
    assert r.status_code == 302
    assert list(secretariat.staff.all()) == [newcomer]
    event = _events_since(start, action="secretariat_update").get()
    assert event.object_id == str(secretariat.host_organisation_id)
    assert event.data["details"]["staff_added"] == [newcomer.pk]


def test_changing_a_case_title_records_the_event(admin_client):
    case = case_for_journal_number(journal_number="27.00.00-A00-4-24", title="Sag om 7c1e")
    start = _last_event_id()
    page = admin_client.get(_url(case))
    r = admin_client.post(_url(case), _form_data(page, title="Omdøbt sag 7c1e"))
    assert r.status_code == 302
    case.refresh_from_db()
    assert (case.title, case.journal_number) == ("Omdøbt sag 7c1e", "27.00.00-A00-4-24")
    assert _events_since(start, event="case_changed", action="case_update").count() == 1
    assert admin_client.get(reverse("admin:cases_case_add")).status_code == 403


@pytest.fixture
def published_item():
    meeting = mf.published_meeting(
        items=[{"title": "Åbent punkt om havnen 4a9b", "sections": {"resume": "Kajen 4a9b"}}]
    )
    item = meeting.agenda_items.get()
    return item


def test_closing_an_agenda_item_in_the_admin_is_refused(admin_client, published_item):
    start = _last_event_id()
    page = admin_client.get(_url(published_item))

    r = admin_client.post(
        _url(published_item),
        _form_data(page, access="lukket", title="Omdøbt i admin 4a9b", public_title="Lukket"),
    )

    assert r.status_code == 403
    published_item.refresh_from_db()
    assert (published_item.access, published_item.title) == ("aaben", "Åbent punkt om havnen 4a9b")
    assert not _events_since(start).exists()


def test_rewriting_approved_minutes_in_the_admin_is_refused(admin_client):
    meeting = mf.approved_meeting(decision="Godkendt som indstillet 8b3e.")
    item = meeting.agenda_items.get()
    decision = ItemSection.objects.get(item=item, section_type__role="beslutning")
    page = admin_client.get(_url(item))
    data = _form_data(page)
    prefix = next(k[: -len("-id")] for k, v in data.items() if v == str(decision.pk))

    r = admin_client.post(_url(item), data | {f"{prefix}-text": "Forkastet 8b3e."})

    assert r.status_code == 403
    decision.refresh_from_db()
    assert decision.text == "Godkendt som indstillet 8b3e."
    assert not MinutesCorrection.objects.exists()


def test_changing_an_attachment_in_the_admin_is_refused(admin_client, published_item):
    attachment = ms.attachment_add(
        item=published_item,
        file=ContentFile(b"Bilag om kajen 2d7f", name="kaj-2d7f.txt"),
        title="Kajplan 2d7f",
    )
    page = admin_client.get(_url(published_item))
    data = _form_data(page)
    prefix = next(k[: -len("-id")] for k, v in data.items() if v == str(attachment.pk))

    r = admin_client.post(
        _url(published_item),
        data | {f"{prefix}-access": "lukket", f"{prefix}-title": "Hemmelig 2d7f"},
    )

    assert r.status_code == 403
    attachment.refresh_from_db()
    assert (attachment.access, attachment.title) == ("aaben", "Kajplan 2d7f")


def test_changing_a_meeting_in_the_admin_is_refused(admin_client):
    meeting = mf.meeting(location="Byrådssalen 6e2c")
    page = admin_client.get(_url(meeting))
    r = admin_client.post(_url(meeting), _form_data(page, location="Et andet sted 6e2c"))
    assert r.status_code == 403
    meeting.refresh_from_db()
    assert (meeting.location, meeting.status) == ("Byrådssalen 6e2c", Meeting.Status.PLANNED)


@pytest.mark.parametrize("what", ["item", "body", "audit event"])
def test_deleting_through_the_admin_is_refused(admin_client, published_item, what):
    obj = {
        "item": published_item,
        "body": published_item.meeting.body,
        "audit event": AuditEvent.objects.first(),
    }[what]
    changelist = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_changelist")

    r = admin_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
    )

    assert r.status_code in (200, 302)
    assert type(obj).objects.filter(pk=obj.pk).exists()
    assert admin_client.post(_url(obj, "delete"), {"post": "yes"}).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


# --- every page answers ----------------------------------------------------------------------


def _one_of_everything(superuser):
    """At least one row of each of our models, made through the services."""
    approved = mf.approved_meeting(
        items=[{"title": "Punkt 3f8a", "journal_number": "00.01.00-G01-1-24"}]
    )
    item = approved.agenda_items.get()
    ms.minutes_correct(item=item, new_text="Rettet 3f8a.", reason="Stavefejl", actor=superuser)
    planned = mf.meeting(approved.body)
    person = body_services.person_create(name="Gæst 3f8a")
    ms.attendance_set(meeting=planned, person=person, role="gaest")
    ms.attachment_add(
        item=mf.item(planned), file=ContentFile(b"3f8a", name="bilag-3f8a.txt"), title="Bilag"
    )
    body_services.appointment_make(
        body=approved.body, person=person, role="medlem", effective_date=datetime.date(2025, 1, 1)
    )
    body_services.terms_of_reference_add(
        body=approved.body, text="Kommissorium 3f8a", effective_from=datetime.date(2025, 1, 1)
    )


def test_every_admin_page_answers(admin_client, admin_request, superuser):
    _one_of_everything(superuser)
    assert Case.objects.exists() and Attachment.objects.exists() and Secretariat.objects.exists()
    visited = set()
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        r = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert r.status_code == 200, opts.label
        obj = model._default_manager.order_by("pk").last()
        if obj is not None:
            r = admin_client.get(_url(obj))
            assert r.status_code == 200, opts.label
            visited.add(opts.label)
        if model_admin.has_add_permission(admin_request):
            add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
            assert admin_client.get(add).status_code == 200, opts.label
    assert set(OUR_MODELS) <= visited
    assert admin_client.get(reverse("admin:index")).status_code == 200


def test_read_only_pages_say_where_the_rows_are_edited(admin_client, published_item):
    meeting = published_item.meeting
    person = body_services.person_create(name="Medlem 5c2e")
    appointment = body_services.appointment_make(
        body=meeting.body, person=person, role="medlem", effective_date=datetime.date(2025, 3, 1)
    )
    pages = {
        meeting: reverse("meetings:agenda", kwargs={"pk": meeting.pk}),
        published_item: reverse("meetings:item_edit", kwargs={"pk": published_item.pk}),
        appointment.membership: reverse("meetings:members", kwargs={"slug": meeting.body.slug}),
        appointment: reverse("meetings:members", kwargs={"slug": meeting.body.slug}),
    }
    for obj, edited_in in pages.items():
        page = admin_client.get(_url(obj))
        assert page.status_code == 200
        assert f'href="{edited_in}"' in page.content.decode(), obj._meta.label
