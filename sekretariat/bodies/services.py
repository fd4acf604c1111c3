"""Writes about seats in bodies: appointments that start, replace or end memberships."""

import datetime
from collections.abc import Mapping

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sekretariat.core import events
from sekretariat.core.errors import ApplicationError
from sekretariat.core.services import event_record

from .models import Appointment, Body, Membership, Organisation, Person, TermsOfReference


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
def person_create(*, name: str, organisation: Organisation | None = None, actor=None) -> Person:
    """A new person by name (a guest not yet known, a new member)."""
    name = name.strip()[:200]
    if not name:
        raise ApplicationError(_("Choose a person or write a new person's name."), field="person")
    person = Person.objects.create(name=name, organisation=organisation)
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
    actor=None,
) -> Body:
    """A new body (forum); its address name is made from its name unless given. It has no
    secretariat until an administrator assigns one."""
    name = name.strip()[:200]
    body = Body.objects.create(
        name=name, slug=slug or _unique_slug(name), organisation=organisation, kind=kind
    )
    event_record(events.BodyChanged(body_id=body.pk), actor=actor, action="body_create")
    return body
