"""Reads for the importer: which body a document names, which meeting it is, what was imported."""

import datetime
import re

from django.db.models import QuerySet
from django.utils import timezone

from sekretariat.bodies.models import Body
from sekretariat.meetings.models import Meeting

from .models import ImportedFile

_SPACE = re.compile(r"\s+")


def name_key(text: str | None) -> str:
    """A name compared without case, surrounding punctuation or doubled spaces."""
    return _SPACE.sub(" ", (text or "").casefold()).strip(" .,:;-–")


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


def imported_file_done(sha256: str) -> ImportedFile | None:
    """The finished import of a file with this content, if its meeting still exists."""
    return (
        ImportedFile.objects.filter(sha256=sha256, meeting__isnull=False)
        .exclude(status=ImportedFile.Status.PENDING)
        .select_related("meeting")
        .first()
    )


def last_import_for_meeting(meeting: Meeting) -> ImportedFile | None:
    return (
        ImportedFile.objects.filter(meeting=meeting)
        .exclude(status=ImportedFile.Status.PENDING)
        .order_by("-updated_at", "-id")
        .first()
    )


def pending_upload_get(*, pk: int, user) -> ImportedFile | None:
    """An upload awaiting review; only its uploader (or an administrator) may open it."""
    qs = ImportedFile.objects.filter(pk=pk, status=ImportedFile.Status.PENDING)
    if not user.is_superuser:
        qs = qs.filter(uploaded_by=user)
    return qs.first()


def imports_recent(*, user, limit: int = 20) -> QuerySet[ImportedFile]:
    qs = ImportedFile.objects.select_related("meeting", "meeting__body")
    if not user.is_superuser:
        qs = qs.filter(uploaded_by=user)
    return qs.order_by("-updated_at", "-id")[:limit]
