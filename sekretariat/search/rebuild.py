"""The documents of a whole rebuild, in jobs of a few hundred meetings.

`services.search_reindex` hands the jobs of `rebuild_jobs` to worker processes, which read,
build and analyse each (`rebuild_rows`) while the parent writes the rows of the jobs before
them. The documents are those of `indexer.documents_for_*`, the same as an incremental update
writes; only the reading differs (plain rows instead of model instances).
"""

from collections.abc import Iterator

from sekretariat.bodies.models import Body, Membership, Person
from sekretariat.cases.models import Case
from sekretariat.meetings.models import AgendaItem, Attachment, ItemSection, Meeting, SectionType

from .indexer import (
    documents_for_attachment,
    documents_for_body,
    documents_for_cases,
    documents_for_item,
    documents_for_meeting,
    documents_for_person,
    people_query,
    rows,
)

REBUILD_MEETINGS_PER_JOB = 200
REBUILD_CASES_PER_JOB = 1000


def rebuild_jobs(newest_first: bool = False) -> Iterator[tuple[str, list[int]]]:
    """Every document of the installation as jobs for `rebuild_rows`, in the order the rows
    are to be written: ("meetings", ids), ..., ("cases", ids), ..., ("directory", [])."""
    # By date, so that the documents' ids (the FTS rowids) or their place in the table follow
    # the meetings' dates (each backend walks a frequent word's matches in its own order).
    order = ("-starts_at", "-pk") if newest_first else ("starts_at", "pk")
    meeting_ids = list(Meeting.objects.order_by(*order).values_list("pk", flat=True))
    for start in range(0, len(meeting_ids), REBUILD_MEETINGS_PER_JOB):
        yield "meetings", meeting_ids[start : start + REBUILD_MEETINGS_PER_JOB]
    case_ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(case_ids), REBUILD_CASES_PER_JOB):
        yield "cases", case_ids[start : start + REBUILD_CASES_PER_JOB]
    yield "directory", []


# The tables a rebuild reads (`search_reindex` has their planner statistics brought up to
# date first: after a bulk import they may have none).
SOURCE_MODELS = (Meeting, AgendaItem, ItemSection, SectionType, Attachment, Case, Body, Person,
                 Membership)  # fmt: skip


def rebuild_rows(job: tuple[str, list[int]]) -> list[tuple]:
    """The rows (tuples of `COLUMNS`) of one job of `rebuild_jobs`: read, built and analysed
    here, which a rebuild does in its worker processes. The documents are the same as
    `index_*` writes; meetings, items and sections are read as plain rows (a million items as
    model instances cost more than their analysis)."""
    kind, ids = job
    if kind == "meetings":
        bodies = Body.objects.in_bulk()
        roles = {
            pk: (role, name)
            for pk, role, name in SectionType.objects.values_list("pk", "role", "name")
        }
        docs = list(_rows_for_meetings(ids, bodies, roles))
    elif kind == "cases":
        docs = documents_for_cases(ids)
    else:
        bodies = Body.objects.select_related("organisation").order_by("pk")
        docs = [d for body in bodies for d in documents_for_body(body)]
        docs += [
            d for person in people_query().order_by("pk") for d in documents_for_person(person)
        ]
    return rows(docs)


def _rows_for_meetings(ids: list[int], bodies: dict, roles: dict) -> Iterator[dict]:
    """The documents of the meetings `ids` (in that order) from four plain queries."""
    meetings = {
        row.pk: row
        for row in Meeting.objects.filter(pk__in=ids).values_list(
            "pk", "body_id", "starts_at", "status", "title", "location", named=True
        )
    }
    items: dict[int, list] = {pk: [] for pk in ids}
    for row in (
        AgendaItem.objects.filter(meeting_id__in=ids)
        .order_by("meeting_id", "position")
        .values_list(
            "pk", "meeting_id", "number", "title", "kind", "access", "journal_number",
            "presenter", "case_officer", named=True,
        )
    ):  # fmt: skip
        items[row.meeting_id].append(row)
    # Through the meetings' ids (a few hundred parameters, not thousands of items'): the
    # rebuild has the tables' statistics brought up to date first (`SOURCE_MODELS`), without
    # which PostgreSQL would scan every section for each job.
    sections: dict[int, list] = {}
    for item_id, type_id, text in (
        ItemSection.objects.filter(item__meeting_id__in=ids)
        .order_by("item_id", "section_type__position")
        .values_list("item_id", "section_type_id", "text")
    ):
        sections.setdefault(item_id, []).append((*roles[type_id], text))
    attachments: dict[int, list] = {}
    for attachment in Attachment.objects.filter(item__meeting_id__in=ids).order_by(
        "item_id", "position", "pk"
    ):
        attachments.setdefault(attachment.item_id, []).append(attachment)
    for pk in ids:
        meeting = meetings[pk]
        body = bodies[meeting.body_id]
        yield from documents_for_meeting(meeting, body)
        for item in items[pk]:
            yield from documents_for_item(item, meeting, body, sections.get(item.pk, []))
            for attachment in attachments.get(item.pk, ()):
                yield from documents_for_attachment(attachment, item, meeting, body)
