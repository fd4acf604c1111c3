"""Reads of the public feeds that no other surface needs. What may be read is decided by
`meetings.visibility`, here as elsewhere."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from sekretariat.bodies.models import Body
from sekretariat.meetings import visibility
from sekretariat.meetings.models import AgendaItem, ItemSection, SectionType

# The newest decisions a feed lists (a reader keeps what it has already fetched).
FEED_DECISIONS = 50


@dataclass(frozen=True)
class PublishedDecision:
    """Beslutning: the decision of an open item in approved minutes, as the public reads it."""

    item: AgendaItem  # with its meeting
    text: str
    updated_at: datetime.datetime  # when it was approved or last corrected


def _decision_sections(body: Body) -> QuerySet[ItemSection]:
    return (
        ItemSection.objects.filter(
            visibility.items_public_q("item__"),
            item__meeting__body=body,
            item__meeting__status__in=sorted(visibility.MINUTES_PUBLIC_STATUSES),
            section_type__role=SectionType.Role.DECISION,
        )
        .exclude(text="")
        .select_related("item__meeting", "section_type")
        .order_by("-item__meeting__starts_at", "-item__meeting_id", "item__position", "item_id")
    )


def published_decisions(*, body: Body, limit: int = FEED_DECISIONS) -> list[PublishedDecision]:
    """The body's newest decisions the public may read, newest meeting first and in agenda order
    within a meeting: the decisions (Beslutning) of open items in approved minutes. Never a
    closed item (not even its number), never a decision of minutes not yet approved."""
    decisions = []
    for section in _decision_sections(body)[:limit]:
        item, meeting = section.item, section.item.meeting
        # The query applies the rule; the rule's own function has the last word.
        if not visibility.section_is_public(
            role=section.section_type.role, access=item.access, status=meeting.status
        ):
            continue
        approved = meeting.minutes_approved_at or meeting.ends_at
        decisions.append(
            PublishedDecision(
                item=item, text=section.text, updated_at=max(approved, section.updated_at)
            )
        )
    return decisions
