"""Organisations (municipalities, regions, KKR, KL) and the secretariats they host."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sekretariat.core import events
from sekretariat.core.errors import ApplicationError
from sekretariat.core.services import event_record

from ..models import Organisation, Secretariat
from ._common import _choice_check, _cleaned, _lengths_check, _values_apply

ORGANISATION_FIELDS = ("name", "kind", "code")
SECRETARIAT_FIELDS = ("name", "host_organisation")


def _organisation_check(organisation: Organisation) -> None:
    if not organisation.name:
        raise ApplicationError(_("An organisation needs a name."), field="name")
    _lengths_check(organisation, ORGANISATION_FIELDS)
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
def organisation_find_or_create(*, name: str, kind: str, actor=None) -> Organisation:
    """The organisation of exactly this name; created with `kind` when there is none."""
    name = name.strip()[:200]
    found = Organisation.objects.filter(name=name).first()
    if found is not None:
        return found
    organisation = Organisation.objects.create(name=name, kind=kind)
    _organisation_changed(organisation.pk, actor=actor, action="organisation_create")
    return organisation


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
    _lengths_check(secretariat, ("name",))
    if secretariat.host_organisation_id is None:
        raise ApplicationError(
            _("Choose the host municipality of the secretariat."), field="host_organisation"
        )
    if Secretariat.objects.filter(name=secretariat.name).exclude(pk=secretariat.pk).exists():
        raise ApplicationError(
            _("There is already a secretariat named %(name)s.") % {"name": secretariat.name},
            field="name",
        )


@transaction.atomic
def secretariat_create(
    *, name: str, host_organisation: Organisation | None, staff: Iterable = (), actor=None
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
