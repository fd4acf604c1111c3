"""What each viewer may see, written here again from the documented rule
(`docs/architecture.md`, the docstring of `meetings/visibility.py`) and never by calling the
app's own visibility functions: otherwise the test would check the code against itself.

The rule, as this oracle reads it:

- a viewer 'sees everything' of a body when it is staff of the body's secretariat or holds a
  seat in it today (`ViewerSpec.full_bodies`, computed by the generator from what it made);
- anyone else sees an item's title and text when the item is open and its meeting's agenda is
  published (published, held or minutes approved); a decision only once the minutes are
  approved; an attachment when it is open and its item may be seen; a closed item's neutral
  title wherever the agenda may be seen;
- a journal number when the viewer may see an item that carries it now, or sees everything of
  a body one of whose items ever carried it;
- text since replaced or removed only when the viewer sees everything of its body.

The state is read from the rows (access, status, body, journal number), not through the app.
"""

from __future__ import annotations

from dataclasses import dataclass

from sekretariat.meetings.models import AgendaItem, Attachment, Meeting

from .generate import Built
from .markers import Kind, Secret, ViewerSpec

AGENDA_PUBLIC = {"dagsorden_offentliggjort", "afholdt", "referat_godkendt"}
MINUTES_PUBLIC = {"referat_godkendt"}
OPEN = "aaben"


@dataclass(frozen=True)
class ItemState:
    pk: int
    meeting_pk: int
    body_pk: int
    access: str
    status: str
    journal: str


@dataclass
class State:
    items: dict[int, ItemState]
    attachments: dict[int, tuple[str, int]]  # pk -> (access, item pk)
    meetings: dict[int, tuple[str, int]]  # pk -> (status, body pk)

    @classmethod
    def read(cls) -> State:
        items = {
            pk: ItemState(pk, meeting_pk, body_pk, access, status, journal)
            for pk, meeting_pk, body_pk, access, status, journal in AgendaItem.objects.values_list(
                "pk",
                "meeting_id",
                "meeting__body_id",
                "access",
                "meeting__status",
                "journal_number",
            )
        }
        attachments = {
            pk: (access, item_pk)
            for pk, access, item_pk in Attachment.objects.values_list("pk", "access", "item_id")
        }
        meetings = {
            pk: (status, body_pk)
            for pk, status, body_pk in Meeting.objects.values_list("pk", "status", "body_id")
        }
        return cls(items, attachments, meetings)


class Oracle:
    def __init__(self, built: Built, state: State | None = None):
        self.built = built
        self.state = state or State.read()

    # -- the rule --

    @staticmethod
    def full(viewer: ViewerSpec, body_pk: int | None) -> bool:
        return body_pk is not None and body_pk in viewer.full_bodies

    def agenda_visible(self, viewer: ViewerSpec, meeting_pk: int) -> bool:
        status, body_pk = self.state.meetings[meeting_pk]
        return self.full(viewer, body_pk) or status in AGENDA_PUBLIC

    def minutes_visible(self, viewer: ViewerSpec, meeting_pk: int) -> bool:
        status, body_pk = self.state.meetings[meeting_pk]
        return self.full(viewer, body_pk) or status in MINUTES_PUBLIC

    def item_visible(self, viewer: ViewerSpec, item_pk: int) -> bool:
        item = self.state.items.get(item_pk)
        if item is None:
            return False
        return self.full(viewer, item.body_pk) or (
            item.access == OPEN and item.status in AGENDA_PUBLIC
        )

    def decision_visible(self, viewer: ViewerSpec, item_pk: int) -> bool:
        item = self.state.items.get(item_pk)
        if item is None:
            return False
        return self.full(viewer, item.body_pk) or (
            item.access == OPEN and item.status in MINUTES_PUBLIC
        )

    def attachment_visible(self, viewer: ViewerSpec, attachment_pk: int) -> bool:
        found = self.state.attachments.get(attachment_pk)
        if found is None:
            return False
        access, item_pk = found
        item = self.state.items[item_pk]
        return self.full(viewer, item.body_pk) or (
            access == OPEN and item.access == OPEN and item.status in AGENDA_PUBLIC
        )

    def journal_visible(self, viewer: ViewerSpec, journal: str) -> bool:
        return any(
            self.item_visible(viewer, item.pk)
            for item in self.state.items.values()
            if item.journal == journal
        )

    def case_page_exists_for(self, viewer: ViewerSpec, journal: str) -> bool:
        """A case page may be shown when the viewer sees an item that treats the case."""
        return self.journal_visible(viewer, journal)

    def visible(self, viewer: ViewerSpec, secret: Secret) -> bool:
        kind = secret.kind
        if kind == Kind.ITEM_TEXT:
            return self.item_visible(viewer, secret.item_pk)
        if kind == Kind.DECISION:
            return self.decision_visible(viewer, secret.item_pk)
        if kind == Kind.PUBLIC_TITLE:
            item = self.state.items.get(secret.item_pk)
            return item is not None and self.agenda_visible(viewer, item.meeting_pk)
        if kind == Kind.ATTACHMENT:
            return self.attachment_visible(viewer, secret.attachment_pk)
        if kind == Kind.JOURNAL:
            return self.journal_visible(viewer, secret.journal) or any(
                self.full(viewer, body_pk) for body_pk in secret.bodies_ever
            )
        if kind == Kind.RETIRED:
            return self.full(viewer, secret.body_pk)
        raise AssertionError(kind)

    def forbidden(self, viewer: ViewerSpec) -> dict[str, Secret]:
        """The markers `viewer` may not see, with what each belongs to."""
        return {
            marker: secret
            for marker, secret in self.built.ledger.secrets.items()
            if not self.visible(viewer, secret)
        }
