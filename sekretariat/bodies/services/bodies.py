"""Bodies (fora): creating and changing them, and their terms of reference (kommissorium)."""

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sekretariat.core import events
from sekretariat.core.errors import ApplicationError
from sekretariat.core.services import event_record

from ..models import Body, Organisation, Secretariat, TermsOfReference
from ._common import _choice_check, _cleaned, _lengths_check, _values_apply

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
# A body meets at most weekly; a larger number is a typing error.
MEETINGS_PER_YEAR_MAX = 52


def _unique_slug(name: str) -> str:
    base = (
        slugify(name.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa"))[:70]
        or "forum"
    )
    slug, n = base, 2
    while Body.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _body_check(body: Body) -> None:
    if not body.name:
        raise ApplicationError(_("A body needs a name."), field="name")
    _lengths_check(body, ("name", "slug", "default_location"))
    if Body.objects.filter(name=body.name).exclude(pk=body.pk).exists():
        raise ApplicationError(
            _("There is already a body named %(name)s.") % {"name": body.name}, field="name"
        )
    if body.organisation_id is None:
        raise ApplicationError(
            _("Choose the organisation the body belongs to."), field="organisation"
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
    per_year = body.meetings_per_year
    if not isinstance(per_year, int) or not 0 <= per_year <= MEETINGS_PER_YEAR_MAX:
        raise ApplicationError(
            _("Write the number of meetings a year as a whole number from 0 to %(max)s.")
            % {"max": MEETINGS_PER_YEAR_MAX},
            field="meetings_per_year",
        )
    parent = body.parent
    while parent is not None and body.pk is not None:
        if parent.pk == body.pk:
            raise ApplicationError(
                _("A body cannot be placed under itself or under one of its own bodies."),
                field="parent",
            )
        parent = parent.parent


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
    name = (name or "").strip()[:200]  # importers pass titles as written; a form checks length
    body = Body(
        name=name,
        slug=(slug or "").strip() or _unique_slug(name),
        organisation=organisation,
        kind=kind,
        parent=parent,
        secretariat=secretariat,
        description=description or "",
        meetings_per_year=meetings_per_year,
        default_location=(default_location or "").strip(),
    )
    _body_check(body)
    body.save()
    event_record(events.BodyChanged(body_id=body.pk), actor=actor, action="body_create")
    return body


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
