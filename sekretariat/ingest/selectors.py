"""Reads for the importer: which body a document names, which meeting it is, what was imported,
and the plain snapshots of a meeting and its items that the planner compares a document with."""

import datetime
from collections.abc import Mapping

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from sekretariat.bodies.models import Body, Person
from sekretariat.meetings.models import Meeting, SectionType

from .models import ImportedFile
from .planner import ItemSnapshot, MeetingSnapshot, RecordSnapshot, name_key


def body_candidates(name: str | None, organisation: str | None = None) -> list[Body]:
    """Bodies whose name is the document's forum name, alone or with its organisation.

    Compared in Python, not with SQL `iexact`: SQLite folds only ASCII case, and forum names start
    with Æ, Ø and Å.
    """
    if not name:
        return []
    wanted = [name_key(name)]
    if organisation:
        for joined in (
            f"{name} {organisation}",
            f"{name}, {organisation}",
            f"{name} i {organisation}",
        ):
            wanted.append(name_key(joined))
    by_key: dict[str, Body] = {}
    for body in Body.objects.select_related("organisation").only(
        "id", "name", "slug", "organisation__name", "secretariat_id"
    ):
        by_key.setdefault(name_key(body.name), body)
    found = [by_key[k] for k in wanted if k in by_key]
    # A body of the same name under the named organisation is the best of several.
    if len(found) > 1 and organisation:
        same_org = [b for b in found if name_key(b.organisation.name) == name_key(organisation)]
        found = same_org or found
    return list(dict.fromkeys(found))


def body_for_document(name: str | None, organisation: str | None = None) -> Body | None:
    found = body_candidates(name, organisation)
    return found[0] if found else None


def meetings_on_date(*, body: Body, day: datetime.date) -> list[Meeting]:
    """The body's meetings on one local date (the identity of an imported meeting)."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
    return list(
        Meeting.objects.filter(
            body=body, starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=1)
        ).order_by("starts_at", "id")
    )


def imported_file_get(sha256: str) -> ImportedFile | None:
    """The record of a file with this content (done or awaiting review), if any."""
    return ImportedFile.objects.filter(sha256=sha256).first()


def imported_file_done(sha256: str) -> ImportedFile | None:
    """The finished import of a file with this content, if its meeting still exists."""
    return (
        ImportedFile.objects.filter(sha256=sha256, meeting__isnull=False)
        .exclude(status__in=ImportedFile.OPEN_STATUSES)
        .select_related("meeting")
        .first()
    )


def last_import_for_meeting(meeting: Meeting) -> ImportedFile | None:
    return (
        ImportedFile.objects.filter(meeting=meeting)
        .exclude(status__in=ImportedFile.OPEN_STATUSES)
        .order_by("-updated_at", "-id")
        .first()
    )


def meeting_locked(pk: int) -> Meeting:
    """The meeting, its row locked for the rest of the transaction (where the database can)."""
    return Meeting.objects.select_for_update().select_related("body").get(pk=pk)


def meeting_snapshot(
    meeting: Meeting,
    *,
    section_roles: tuple[str, ...],
    written: Mapping[str, str],
    created: bool,
    with_attendance: bool,
) -> MeetingSnapshot:
    """The meeting as the planner sees it; `with_attendance` reads who attends already."""
    return MeetingSnapshot(
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        location=meeting.location,
        section_roles=section_roles,
        written=dict(written),
        created=created,
        attending=_attending_names(meeting) if with_attendance else frozenset(),
    )


def _attending_names(meeting: Meeting) -> frozenset[str]:
    """Names of the people recorded at the meeting, where the person is the one an import
    finds by that name (the first made of those who share it)."""
    first_of_name = Person.objects.filter(name=OuterRef("person__name")).order_by("id")
    rows = meeting.attendances.annotate(first=Subquery(first_of_name.values("pk")[:1]))
    return frozenset(
        name
        for name, pk, first in rows.values_list("person__name", "person_id", "first")
        if pk == first
    )


def items_snapshot(
    meeting: Meeting, types: Mapping[str, SectionType], with_attachments: bool
) -> list[ItemSnapshot]:
    """The meeting's items in agenda order, with their sections by role (in the section type
    the import uses for each role), their import records and, when asked, the hashes of their
    attachments."""
    role_of = {st.pk: role for role, st in types.items()}
    items = list(
        meeting.agenda_items.select_related("import_record")
        .prefetch_related("sections")
        .order_by("position", "id")
    )
    hashes: dict[int, set[str]] = {}
    if with_attachments and items:
        for item_id, sha256 in meeting.agenda_items.values_list("id", "attachments__sha256"):
            if sha256:
                hashes.setdefault(item_id, set()).add(sha256)
    result = []
    for item in items:
        record = getattr(item, "import_record", None)
        result.append(
            ItemSnapshot(
                pk=item.pk,
                number=item.number,
                title=item.title,
                position=item.position,
                kind=item.kind,
                access=item.access,
                presenter=item.presenter,
                timeframe_minutes=item.timeframe_minutes,
                journal_number=item.journal_number,
                case_officer=item.case_officer,
                sections={
                    role_of[s.section_type_id]: s.text
                    for s in item.sections.all()
                    if s.section_type_id in role_of
                },
                attachment_sha256=frozenset(hashes.get(item.pk, ())),
                record=RecordSnapshot(
                    source_key=record.source_key,
                    written=dict(record.written),
                    listed_attachments=tuple(record.listed_attachments),
                )
                if record is not None
                else None,
            )
        )
    return result


def open_upload_get(*, pk: int, user) -> ImportedFile | None:
    """An upload not yet imported (being read, unreadable or awaiting review); only its
    uploader (or an administrator) may open it."""
    qs = ImportedFile.objects.filter(pk=pk, status__in=ImportedFile.OPEN_STATUSES)
    if not user.is_superuser:
        qs = qs.filter(uploaded_by=user)
    return qs.first()


def uploads_received() -> list[int]:
    """Every upload in 'received', oldest first, whether or not someone is reading it."""
    return list(
        ImportedFile.objects.filter(status=ImportedFile.Status.RECEIVED)
        .order_by("updated_at", "id")
        .values_list("pk", flat=True)
    )


def uploads_waiting(
    *, stale_after: datetime.timedelta, fresh_too: bool, now: datetime.datetime | None = None
) -> list[int]:
    """The received uploads to read, oldest first: those whose reading began `stale_after` ago
    or more (its process stopped), those never begun that old, and with `fresh_too` every
    upload not begun."""
    cutoff = (now or timezone.now()) - stale_after
    not_begun = Q(read_started_at__isnull=True)
    if not fresh_too:
        not_begun &= Q(updated_at__lt=cutoff)
    return list(
        ImportedFile.objects.filter(status=ImportedFile.Status.RECEIVED)
        .filter(not_begun | Q(read_started_at__lt=cutoff))
        .order_by("updated_at", "id")
        .values_list("pk", flat=True)
    )


def imports_recent(*, user, limit: int = 20) -> QuerySet[ImportedFile]:
    qs = ImportedFile.objects.select_related("meeting", "meeting__body")
    if not user.is_superuser:
        qs = qs.filter(uploaded_by=user)
    return qs.order_by("-updated_at", "-id")[:limit]
