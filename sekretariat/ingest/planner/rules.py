"""The planner's small rules: keys, hashes of written values, times."""

from __future__ import annotations

import datetime
import hashlib
import re

from ..parsers import ParsedDocument, ParsedItem
from .values import (
    DEFAULT_DURATION,
    DEFAULT_START,
    LOCATION_LENGTH,
    SOURCE_KEY_LENGTH,
    Conventions,
    NewMeeting,
)

_SPACE = re.compile(r"\s+")


def name_key(text: str | None) -> str:
    """A name compared without case, surrounding punctuation or doubled spaces."""
    return _SPACE.sub(" ", (text or "").casefold()).strip(" .,:;-–")


def written_hash(value: object) -> str:
    """A short hash of a written value: enough to tell whether the text was changed since."""
    return hashlib.sha256(field_text(value).encode("utf-8")).hexdigest()[:20]


def field_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    return str(value)


def item_key(p: ParsedItem) -> str:
    """An item's key in the document: its number, or its title when it has none."""
    if p.number:
        return f"nr:{name_key(p.number)}"[:SOURCE_KEY_LENGTH]
    return f"titel:{name_key(p.title)}"[:SOURCE_KEY_LENGTH]


def minutes(value: int | None) -> int | None:
    return value if value and 0 < value < 32768 else None


def parse_time(value: str | None) -> datetime.time | None:
    if not value:
        return None
    try:
        return datetime.time.fromisoformat(value)
    except ValueError:
        return None


def meeting_times(
    parsed: ParsedDocument, day: datetime.date, tz: datetime.tzinfo
) -> tuple[datetime.datetime, datetime.datetime]:
    """Start and end; 09:00 when the document states no start, two hours when no valid end."""
    start_time = parse_time(parsed.meeting.start_time)
    starts = datetime.datetime.combine(day, start_time or DEFAULT_START, tzinfo=tz)
    end_time = parse_time(parsed.meeting.end_time)
    ends = datetime.datetime.combine(day, end_time, tzinfo=tz) if end_time else None
    if ends is None or ends <= starts:
        ends = starts + DEFAULT_DURATION
    return starts, ends


def new_meeting(parsed: ParsedDocument, day: datetime.date, conventions: Conventions) -> NewMeeting:
    """The values of a meeting the document makes (no other meeting is found for it)."""
    starts, ends = meeting_times(parsed, day, conventions.timezone)
    return NewMeeting(starts, ends, (parsed.meeting.location or "")[:LOCATION_LENGTH])
