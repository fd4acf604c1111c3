"""Offentlighed: the one rule for what may be seen of meetings, items, decisions and attachments.

Every surface asks this module: the public pages and their PDFs and calendar feeds (through
`meetings.selectors`), the search index (`search.indexer` computes `visible_public` here), and
any future API. Nowhere else may decide it.

For the public (a viewer who may not see the body's closed material):

- a meeting and its time and place are always public (the meeting plan is);
- its agenda (the items) once the agenda is published: published, held or minutes approved;
- an item's text when the agenda is public and the item is open; a closed item (lukket punkt)
  shows only its number and a neutral title (`selectors.ClosedItem`);
- the decision (Beslutning) of an open item only once the minutes are approved;
- an attachment when its item is public and the attachment itself is open;
- a case when at least one open item of a public agenda treats it; its title and path only from
  such items.

A member of the body, its secretariat and an administrator see everything of the body
(`bodies.selectors.Viewer.can_see_closed`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from .models import Access, Meeting, SectionType

AGENDA_PUBLIC_STATUSES = frozenset(
    {Meeting.Status.AGENDA_PUBLISHED, Meeting.Status.HELD, Meeting.Status.MINUTES_APPROVED}
)
MINUTES_PUBLIC_STATUSES = frozenset({Meeting.Status.MINUTES_APPROVED})


# --- the rule, on plain values (the search index applies it to millions of rows) -----------


def agenda_is_public(status: str) -> bool:
    return status in AGENDA_PUBLIC_STATUSES


def minutes_are_public(status: str) -> bool:
    return status in MINUTES_PUBLIC_STATUSES


def item_is_public(*, access: str, status: str) -> bool:
    """An item's title and text (not its decision) may be read by the public."""
    return access == Access.OPEN and status in AGENDA_PUBLIC_STATUSES


def section_is_public(*, role: str, access: str, status: str) -> bool:
    """One section of an item: a decision only once the minutes are approved."""
    if not item_is_public(access=access, status=status):
        return False
    return role != SectionType.Role.DECISION or status in MINUTES_PUBLIC_STATUSES


def attachment_is_public(*, access: str, item_access: str, status: str) -> bool:
    return access == Access.OPEN and item_is_public(access=item_access, status=status)


def case_is_public(treatments: Iterable[tuple[str, str]]) -> bool:
    """A case, from the (item access, meeting status) of the items that treat it."""
    return any(item_is_public(access=access, status=status) for access, status in treatments)


def case_public_title(treatments: Iterable[tuple[str, str, str]]) -> str | None:
    """The title a case shows the public, from the (item access, meeting status, item title)
    of the items that treat it, oldest first: the title of the oldest public item (a case is
    named after the first item with its journal number, which may be a closed one), or None
    when no item that treats it is public."""
    for access, status, title in treatments:
        if item_is_public(access=access, status=status):
            return title
    return None


# --- the same rule as query conditions ------------------------------------------------------


def items_public_q(prefix: str = "") -> Q:
    """The condition an item (reached through `prefix`, e.g. 'agenda_items__') meets when the
    public may read it."""
    return Q(**{f"{prefix}access": Access.OPEN}) & Q(
        **{f"{prefix}meeting__status__in": sorted(AGENDA_PUBLIC_STATUSES)}
    )


def attachments_public_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}access": Access.OPEN}) & items_public_q(f"{prefix}item__")


# --- for one viewer -------------------------------------------------------------------------


def sees_everything(viewer, meeting: Meeting) -> bool:
    """The viewer sees all of the body's material, closed items included."""
    return viewer.can_see_closed(meeting.body_id)


def may_see_agenda(viewer, meeting: Meeting) -> bool:
    return sees_everything(viewer, meeting) or agenda_is_public(meeting.status)


def may_see_minutes(viewer, meeting: Meeting) -> bool:
    return sees_everything(viewer, meeting) or minutes_are_public(meeting.status)


def may_see_decisions(viewer, meeting: Meeting) -> bool:
    """Decisions of the open items: the same as the minutes."""
    return may_see_minutes(viewer, meeting)


def may_see_item(viewer, item, meeting: Meeting) -> bool:
    return sees_everything(viewer, meeting) or item_is_public(
        access=item.access, status=meeting.status
    )


def case_title_for(viewer, case, items) -> str:
    """A case's title as `viewer` may see it, from the items that treat it (oldest first,
    with their meetings): for a viewer who sees every one of them, its own title if an item
    that treats it has that title, else the oldest item's; for anyone else the public title
    (`case_public_title`).

    The case's own title is the title its first item had: that item may since have been
    renamed, moved to another journal number or removed, and may be a closed item of a body
    the viewer does not see, so the title is shown only while an item the viewer sees has it."""
    if items and all(sees_everything(viewer, item.meeting) for item in items):
        if any(item.title == case.title for item in items):
            return case.title
        return items[0].title
    public = case_public_title((i.access, i.meeting.status, i.title) for i in items)
    return public or ""


def may_see_attachment(viewer, attachment, item, meeting: Meeting) -> bool:
    return sees_everything(viewer, meeting) or attachment_is_public(
        access=attachment.access, item_access=item.access, status=meeting.status
    )
