"""Writes about seats in bodies: appointments that start, replace or end memberships."""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_slug
from django.db import models, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sekretariat.core import events
from sekretariat.core.errors import ApplicationError
from sekretariat.core.services import event_record

from .models import (
    Appointment,
    Body,
    Membership,
    Organisation,
    Person,
    Secretariat,
    TermsOfReference,
)


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

    The decision (an agenda item) that made it is linked by
    `meetings.services.decisions.appointment_make_decided`.
    """
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
    if Membership.objects.filter(
        person=person, body=body, start_date__lte=effective_date, end_date__isnull=True
    ).exists():
        raise ApplicationError(
            _("%(person)s is already a member of %(body)s.") % {"person": person, "body": body}
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


@transaction.atomic
def terms_of_reference_add(
    *,
    body: Body,
    text: str,
    effective_from: datetime.date,
    actor=None,
):
    """A new version of the body's terms of reference (kommissorium), numbered after the last."""
    text = text.strip()
    if not text:
        raise ApplicationError(_("The terms of reference need a text."), field="text")
    last = (
        TermsOfReference.objects.select_for_update().filter(body=body).order_by("-version").first()
    )
    if last and effective_from <= last.effective_from:
        raise ApplicationError(
            _("A new version must take effect after version %(v)s (%(d)s).")
            % {"v": last.version, "d": last.effective_from.strftime("%d.%m.%Y")},
            field="effective_from",
        )
    terms = TermsOfReference.objects.create(
        body=body,
        version=(last.version + 1) if last else 1,
        text=text,
        effective_from=effective_from,
    )
    event_record(
        events.BodyChanged(body_id=body.pk),
        actor=actor,
        action="terms_of_reference_add",
        version=terms.version,
    )
    return terms


# --- people, organisations and bodies --------------------------------------------------------


def _people_changed(people, *, actor, action: str) -> None:
    if people:
        event_record(
            events.PeopleChanged(person_ids=tuple(p.pk for p in people)), actor=actor, action=action
        )


@transaction.atomic
def person_create(
    *,
    name: str,
    organisation: Organisation | None = None,
    job_title: str = "",
    email: str = "",
    user=None,
    actor=None,
) -> Person:
    """A new person by name (a guest not yet known, a new member), with their details when
    known (the admin gives them)."""
    name = name.strip()[:200]
    if not name:
        raise ApplicationError(_("Choose a person or write a new person's name."), field="person")
    person = Person(
        name=name,
        organisation=organisation,
        job_title=job_title.strip(),
        email=email.strip(),
        user=user,
    )
    _person_check(person)
    person.save()
    _people_changed([person], actor=actor, action="person_create")
    return person


def people_find_or_create(
    names_with_affiliation: Mapping[str, str], *, actor=None
) -> dict[str, Person]:
    """People by exact name ({name: affiliation}); where two share a name, the first made.

    A name not known becomes a new person, of the organisation named by the affiliation when
    one has exactly that name (none is created). Returns {name: person}."""
    wanted = {name: affiliation for name, affiliation in names_with_affiliation.items() if name}
    if not wanted:
        return {}
    people: dict[str, Person] = {}
    for person in Person.objects.filter(name__in=list(wanted)).order_by("id"):
        people.setdefault(person.name, person)
    missing = [name for name in wanted if name not in people]
    if missing:
        affiliations = {wanted[name] for name in missing if wanted[name]}
        organisations = {o.name: o for o in Organisation.objects.filter(name__in=affiliations)}
        with transaction.atomic():  # only a write needs one (an import asks for every meeting)
            created = Person.objects.bulk_create(
                [
                    Person(name=name, organisation=organisations.get(wanted[name]))
                    for name in missing
                ]
            )
            _people_changed(created, actor=actor, action="people_find_or_create")
        people.update({person.name: person for person in created})
    return people


@transaction.atomic
def organisation_find_or_create(*, name: str, kind: str, actor=None) -> Organisation:
    """The organisation of exactly this name; created with `kind` when there is none."""
    name = name.strip()[:200]
    found = Organisation.objects.filter(name=name).first()
    if found is not None:
        return found
    organisation = Organisation.objects.create(name=name, kind=kind)
    event_record(
        events.OrganisationChanged(organisation_id=organisation.pk),
        actor=actor,
        action="organisation_create",
    )
    return organisation


def _unique_slug(name: str) -> str:
    base = (
        slugify(name.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa"))[:70]
        or "forum"
    )
    slug, n = base, 2
    while Body.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def body_create(
    *,
    name: str,
    organisation: Organisation,
    kind: str = Body.Kind.OTHER,
    slug: str = "",
    parent: Body | None = None,
    secretariat: Secretariat | None = None,
    description: str = "",
    meetings_per_year: int = 4,
    default_location: str = "",
    actor=None,
) -> Body:
    """A new body (forum); its address name is made from its name unless given. It has no
    secretariat until an administrator assigns one (here or later)."""
    name = name.strip()[:200]
    body = Body(
        name=name,
        slug=slug.strip() or _unique_slug(name),
        organisation=organisation,
        kind=kind,
        parent=parent,
        secretariat=secretariat,
        description=description,
        meetings_per_year=meetings_per_year,
        default_location=default_location.strip(),
    )
    _body_check(body)
    body.save()
    event_record(events.BodyChanged(body_id=body.pk), actor=actor, action="body_create")
    return body


# --- what the admin creates and changes: organisations, secretariats, bodies, people ---------
#
# These have no screen of the secretariat's yet; the admin calls these services (`*_update`
# takes the form's cleaned data and changes only the fields it names).

ORGANISATION_FIELDS = ("name", "kind", "code")
SECRETARIAT_FIELDS = ("name", "host_organisation")
BODY_FIELDS = (
    "name",
    "slug",
    "kind",
    "organisation",
    "parent",
    "secretariat",
    "description",
    "meetings_per_year",
    "default_location",
)
PERSON_FIELDS = ("name", "job_title", "organisation", "email", "user")
_STRIPPED = ("name", "code", "slug", "job_title", "email", "default_location")


def _cleaned(data: Mapping[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """The values of `fields` that `data` holds, text stripped."""
    return {
        name: (data[name] or "").strip() if name in _STRIPPED else data[name]
        for name in fields
        if name in data
    }


def _values_apply(instance: models.Model, values: Mapping[str, Any]) -> list[str]:
    """Set `values` on `instance`; the names of the fields whose value changed."""
    changed = []
    for name, value in values.items():
        field = instance._meta.get_field(name)
        new = value.pk if isinstance(value, models.Model) else value
        if field.value_from_object(instance) != new:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def _choice_check(value: str, choices, field: str) -> None:
    if value not in choices.values:
        raise ApplicationError(_("Choose one of the listed kinds."), field=field)


def _organisation_check(organisation: Organisation) -> None:
    if not organisation.name:
        raise ApplicationError(_("An organisation needs a name."), field="name")
    _choice_check(organisation.kind, Organisation.Kind, "kind")
    if Organisation.objects.filter(name=organisation.name).exclude(pk=organisation.pk).exists():
        raise ApplicationError(
            _("There is already an organisation named %(name)s.") % {"name": organisation.name},
            field="name",
        )


def _organisation_changed(organisation_id: int, *, actor, action: str, **details) -> None:
    event_record(
        events.OrganisationChanged(organisation_id=organisation_id),
        actor=actor,
        action=action,
        **details,
    )


@transaction.atomic
def organisation_create(
    *, name: str, kind: str = Organisation.Kind.MUNICIPALITY, code: str = "", actor=None
) -> Organisation:
    """A new organisation (municipality, region, KKR, ...)."""
    organisation = Organisation(
        **_cleaned({"name": name, "kind": kind, "code": code}, ORGANISATION_FIELDS)
    )
    _organisation_check(organisation)
    organisation.save()
    _organisation_changed(organisation.pk, actor=actor, action="organisation_create")
    return organisation


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, data: Mapping[str, Any], actor=None
) -> Organisation:
    """Change an organisation's name, kind or code (the fields of `ORGANISATION_FIELDS` that
    `data` holds); nothing is recorded when nothing changed."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    changed = _values_apply(organisation, _cleaned(data, ORGANISATION_FIELDS))
    if not changed:
        return organisation
    _organisation_check(organisation)
    organisation.save(update_fields=[*changed, "updated_at"])
    _organisation_changed(
        organisation.pk, actor=actor, action="organisation_update", changed=changed
    )
    return organisation


def _secretariat_check(secretariat: Secretariat) -> None:
    if not secretariat.name:
        raise ApplicationError(_("A secretariat needs a name."), field="name")
    if Secretariat.objects.filter(name=secretariat.name).exclude(pk=secretariat.pk).exists():
        raise ApplicationError(
            _("There is already a secretariat named %(name)s.") % {"name": secretariat.name},
            field="name",
        )


@transaction.atomic
def secretariat_create(
    *, name: str, host_organisation: Organisation, staff: Iterable = (), actor=None
) -> Secretariat:
    """A new secretariat hosted by `host_organisation`; its `staff` (users) edit the bodies it
    serves. Recorded under the host organisation (a secretariat is one of its units)."""
    secretariat = Secretariat(
        **_cleaned({"name": name, "host_organisation": host_organisation}, SECRETARIAT_FIELDS)
    )
    _secretariat_check(secretariat)
    secretariat.save()
    staff_ids = sorted({user.pk for user in staff})
    secretariat.staff.set(staff_ids)
    _organisation_changed(
        secretariat.host_organisation_id,
        actor=actor,
        action="secretariat_create",
        secretariat=secretariat.pk,
        staff_added=staff_ids,
    )
    return secretariat


@transaction.atomic
def secretariat_update(
    *, secretariat: Secretariat, data: Mapping[str, Any], actor=None
) -> Secretariat:
    """Change a secretariat's name, host or staff (`data["staff"]`: the users it should have).
    Who is staff decides who edits the bodies it serves, so the users added and removed are
    kept in the audit trail."""
    secretariat = Secretariat.objects.select_for_update().get(pk=secretariat.pk)
    previous_host = secretariat.host_organisation_id
    changed = _values_apply(secretariat, _cleaned(data, SECRETARIAT_FIELDS))
    details: dict[str, Any] = {}
    if "staff" in data:
        before = set(secretariat.staff.values_list("pk", flat=True))
        after = {user.pk for user in data["staff"]}
        if before != after:
            changed.append("staff")
            details = {
                "staff_added": sorted(after - before),
                "staff_removed": sorted(before - after),
            }
    if not changed:
        return secretariat
    _secretariat_check(secretariat)
    fields = [name for name in changed if name != "staff"]
    secretariat.save(update_fields=[*fields, "updated_at"])
    if "staff" in changed:
        secretariat.staff.set(sorted(after))
    if "host_organisation" in changed:
        details["previous_host_organisation"] = previous_host
    _organisation_changed(
        secretariat.host_organisation_id,
        actor=actor,
        action="secretariat_update",
        secretariat=secretariat.pk,
        changed=changed,
        **details,
    )
    return secretariat


def _body_check(body: Body) -> None:
    if not body.name:
        raise ApplicationError(_("A body needs a name."), field="name")
    if Body.objects.filter(name=body.name).exclude(pk=body.pk).exists():
        raise ApplicationError(
            _("There is already a body named %(name)s.") % {"name": body.name}, field="name"
        )
    try:
        validate_slug(body.slug)
    except ValidationError as error:
        raise ApplicationError(
            _("The short name may hold only letters, digits, hyphens and underscores."),
            field="slug",
        ) from error
    if Body.objects.filter(slug=body.slug).exclude(pk=body.pk).exists():
        raise ApplicationError(
            _("Another body already has the short name %(slug)s.") % {"slug": body.slug},
            field="slug",
        )
    _choice_check(body.kind, Body.Kind, "kind")
    parent = body.parent
    while parent is not None and body.pk is not None:
        if parent.pk == body.pk:
            raise ApplicationError(
                _("A body cannot be placed under itself or under one of its own bodies."),
                field="parent",
            )
        parent = parent.parent


@transaction.atomic
def body_update(*, body: Body, data: Mapping[str, Any], actor=None) -> Body:
    """Change a body's details (the fields of `BODY_FIELDS` that `data` holds). Its
    secretariat decides who edits it, so a change of it is kept in the audit trail."""
    body = Body.objects.select_for_update().get(pk=body.pk)
    previous_secretariat = body.secretariat_id
    changed = _values_apply(body, _cleaned(data, BODY_FIELDS))
    if not changed:
        return body
    _body_check(body)
    body.save(update_fields=[*changed, "updated_at"])
    details = {}
    if "secretariat" in changed:
        details = {"secretariat": [previous_secretariat, body.secretariat_id]}
    event_record(
        events.BodyChanged(body_id=body.pk),
        actor=actor,
        action="body_update",
        changed=changed,
        **details,
    )
    return body


def _person_check(person: Person) -> None:
    if not person.name:
        raise ApplicationError(_("A person needs a name."), field="name")
    if person.email:
        try:
            validate_email(person.email)
        except ValidationError as error:
            raise ApplicationError(_("Write a valid e-mail address."), field="email") from error
    if person.user_id is not None:
        other = Person.objects.filter(user_id=person.user_id).exclude(pk=person.pk).first()
        if other is not None:
            raise ApplicationError(
                _("This login already belongs to %(person)s.") % {"person": other},
                field="user",
            )


@transaction.atomic
def person_update(*, person: Person, data: Mapping[str, Any], actor=None) -> Person:
    """Change a person's details (the fields of `PERSON_FIELDS` that `data` holds). The login
    linked to a person decides what its user sees as a member, so the audit trail keeps it."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    previous_user = person.user_id
    changed = _values_apply(person, _cleaned(data, PERSON_FIELDS))
    if not changed:
        return person
    _person_check(person)
    person.save(update_fields=[*changed, "updated_at"])
    details = {"user": [previous_user, person.user_id]} if "user" in changed else {}
    event_record(
        events.PeopleChanged(person_ids=(person.pk,)),
        actor=actor,
        action="person_update",
        changed=changed,
        **details,
    )
    return person
