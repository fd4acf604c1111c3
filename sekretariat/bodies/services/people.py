"""People: members, guests and staff, with their details."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from sekretariat.core import events
from sekretariat.core.errors import ApplicationError
from sekretariat.core.services import event_record

from ..models import Organisation, Person
from ._common import _cleaned, _lengths_check, _values_apply

PERSON_FIELDS = ("name", "job_title", "organisation", "email", "user")


def _people_changed(people, *, actor, action: str) -> None:
    if people:
        event_record(
            events.PeopleChanged(person_ids=tuple(p.pk for p in people)), actor=actor, action=action
        )


def _person_check(person: Person) -> None:
    if not person.name:
        raise ApplicationError(_("A person needs a name."), field="name")
    _lengths_check(person, ("name", "job_title", "email"))
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
    known (the people screen and the admin give them)."""
    name = (name or "").strip()[:200]
    if not name:
        raise ApplicationError(_("Choose a person or write a new person's name."), field="person")
    person = Person(
        name=name,
        organisation=organisation,
        job_title=(job_title or "").strip(),
        email=(email or "").strip(),
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
