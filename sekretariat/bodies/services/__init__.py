"""Writes about organisations, secretariats, bodies (fora), people and their seats.

One module per topic; everything is imported from here (`from sekretariat.bodies import
services`), as callers did when this was one module:

- `organisations`: organisations and the secretariats they host (with their staff);
- `bodies`: bodies and their terms of reference (kommissorium);
- `people`: people and their details;
- `memberships`: appointments (udpegning) that start, replace or end a seat.

Each write is one transaction that records its event (`core.events`) for the audit trail and
the search index; a refused write raises `ApplicationError` with a message for the user and
leaves nothing behind. `*_update` takes a form's cleaned data and changes only the fields of
`*_FIELDS` it holds.
"""

from .bodies import (
    BODY_FIELDS,
    MEETINGS_PER_YEAR_MAX,
    body_create,
    body_update,
    terms_of_reference_add,
)
from .memberships import appointee_check, appointment_make, membership_end
from .organisations import (
    ORGANISATION_FIELDS,
    SECRETARIAT_FIELDS,
    organisation_create,
    organisation_find_or_create,
    organisation_update,
    secretariat_create,
    secretariat_update,
)
from .people import PERSON_FIELDS, people_find_or_create, person_create, person_update

__all__ = [
    "BODY_FIELDS",
    "MEETINGS_PER_YEAR_MAX",
    "ORGANISATION_FIELDS",
    "PERSON_FIELDS",
    "SECRETARIAT_FIELDS",
    "appointee_check",
    "appointment_make",
    "body_create",
    "body_update",
    "membership_end",
    "organisation_create",
    "organisation_find_or_create",
    "organisation_update",
    "people_find_or_create",
    "person_create",
    "person_update",
    "secretariat_create",
    "secretariat_update",
    "terms_of_reference_add",
]
