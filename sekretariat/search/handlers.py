"""What each domain event makes stale in the search index, and the handling of a batch.

The consumer itself (`services.CONSUMER`, listed in `config/consumers.py`) hands this module's
`handle` the events of `TARGETS`.

Each event names the objects whose documents may be stale; a batch of events is turned into
one set of ids per kind and re-indexed at once (an import's hundred events re-index each item
once). Re-indexing is idempotent, so an event handled twice does no harm.
"""

from collections import defaultdict
from collections.abc import Callable, Sequence

from sekretariat.bodies.models import Body, Membership, Person
from sekretariat.core import events
from sekretariat.meetings.models import Meeting

from . import indexer

MEETINGS, ITEMS, ATTACHMENTS, CASES, BODIES, PEOPLE = (
    "meetings",
    "items",
    "attachments",
    "cases",
    "bodies",
    "people",
)

Targets = dict[str, set[int]]


def _meeting(event: events.MeetingChanged | events.MeetingStatusChanged) -> Targets:
    # A meeting's date, place and status are part of every one of its items' documents.
    return {MEETINGS: {event.meeting_id}}


def _items(event: events.AgendaItemsChanged) -> Targets:
    return {ITEMS: set(event.item_ids)}


def _attachments(event: events.AttachmentsChanged) -> Targets:
    return {ATTACHMENTS: set(event.attachment_ids)}


def _body(event: events.BodyChanged) -> Targets:
    # The body's name is also in its meetings' and items' documents and its members' ones.
    return {
        BODIES: {event.body_id},
        MEETINGS: set(Meeting.objects.filter(body_id=event.body_id).values_list("id", flat=True)),
        PEOPLE: set(
            Membership.objects.filter(body_id=event.body_id).values_list("person_id", flat=True)
        ),
    }


def _organisation(event: events.OrganisationChanged) -> Targets:
    # An organisation's name is in the documents of its bodies and of the people working there.
    return {
        BODIES: set(
            Body.objects.filter(organisation_id=event.organisation_id).values_list("id", flat=True)
        ),
        PEOPLE: set(
            Person.objects.filter(organisation_id=event.organisation_id).values_list(
                "id", flat=True
            )
        ),
    }


def _people(event: events.PeopleChanged) -> Targets:
    return {PEOPLE: set(event.person_ids)}


def _membership(event: events.MembershipChanged) -> Targets:
    # A person's document lists the bodies they sit in.
    return {PEOPLE: {event.person_id}, BODIES: {event.body_id}}


def _case(event: events.CaseChanged) -> Targets:
    return {CASES: {event.case_id}}


# Which documents each event makes stale; the consumer wants exactly these events.
TARGETS: dict[type[events.Event], Callable[..., Targets]] = {
    events.MeetingChanged: _meeting,
    events.MeetingStatusChanged: _meeting,
    events.AgendaItemsChanged: _items,
    events.AttachmentsChanged: _attachments,
    events.BodyChanged: _body,
    events.OrganisationChanged: _organisation,
    events.PeopleChanged: _people,
    events.MembershipChanged: _membership,
    events.CaseChanged: _case,
}


def handle(batch: Sequence[events.Event]) -> None:
    ids: Targets = defaultdict(set)
    for event in batch:
        for kind, found in TARGETS[type(event)](event).items():
            ids[kind] |= found
    indexer.index_objects(
        meetings=ids[MEETINGS],
        items=ids[ITEMS],
        attachments=ids[ATTACHMENTS],
        cases=ids[CASES],
        bodies=ids[BODIES],
        people=ids[PEOPLE],
    )
