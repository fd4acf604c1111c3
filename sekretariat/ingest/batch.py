"""A run of `sekretariat import`: files from folders, their attachments, one result per file.

The run reads every file first, so that it knows which files are attachments that a document
lists (they are stored with the item, not imported as documents), then loads the documents one
transaction each. A bad file never stops the run: it becomes a failed result with its reason.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from sekretariat.bodies.models import Body

from . import selectors, services
from .parsers import MAX_BYTES, FileTooLargeError, ParsedDocument, ParseError, parse_bytes
from .services import ImportResult, Outcome

log = logging.getLogger(__name__)

IGNORED_NAMES = {"thumbs.db", "desktop.ini"}
ATTACHED = "attached"
_BILAG_PREFIX = re.compile(r"^\s*bilag\s*\d*[a-z]?\s*[:.\-_)]*\s*", re.I)
_NOT_WORD = re.compile(r"[\W_]+")


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files named, and every file under the folders named (hidden files left out).

    A link inside a folder is followed only to a file inside that folder: a link to a system
    file (or to anything outside) is left out with a warning, never read and published."""
    seen: dict[Path, None] = {}
    resolved_seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            root = path.resolve()
            found = sorted(p for p in path.rglob("*") if p.is_file())
            found = [
                p
                for p in found
                if not any(part.startswith(".") for part in p.relative_to(path).parts)
            ]
            inside = []
            for p in found:
                if p.resolve().is_relative_to(root):
                    inside.append(p)
                else:
                    log.warning("%s peger uden for mappen %s og er udeladt.", p, path)
            found = inside
        else:
            found = [path]
        for p in found:
            target = p.resolve()
            if p.name.casefold() not in IGNORED_NAMES and target not in resolved_seen:
                resolved_seen.add(target)
                seen.setdefault(p, None)
    return list(seen)


def attachment_key(text: str) -> str:
    """An attachment title or file name compared loosely: no 'Bilag 3:' prefix, no punctuation."""
    text = _BILAG_PREFIX.sub("", text)
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


def files_by_folder(files: Iterable[Path]) -> dict[Path, list[Path]]:
    folders: dict[Path, list[Path]] = defaultdict(list)
    for f in files:
        folders[f.parent].append(f)
    return folders


def attachment_files_for(
    document: Path, titles: list[str], folders: Mapping[Path, list[Path]]
) -> dict[str, Path]:
    """Files beside the document (or in a folder named after it, or 'bilag') named as a title."""
    if not titles:
        return {}
    folder = document.parent
    places = {
        folder,
        folder / document.stem,
        folder / "bilag",
        folder / f"{document.stem}_bilag",
        folder / f"{document.stem}-bilag",
    }
    by_key: dict[str, Path] = {}
    for place in sorted(places):
        for f in folders.get(place, ()):
            if f != document:
                by_key.setdefault(attachment_key(f.stem), f)
    found = {}
    for title in titles:
        match = by_key.get(attachment_key(title))
        if match is not None:
            found[title] = match
    return found


@dataclass
class _Entry:
    path: Path
    sha256: str = ""
    parsed: ParsedDocument | None = None
    result: ImportResult | None = None
    attachments: dict[str, Path] = field(default_factory=dict)
    # The attachment titles the document lists (also when it was imported before: a re-run
    # must still know which files beside it are its attachments, not documents of their own).
    listed: list[str] = field(default_factory=list)


@dataclass
class RunSummary:
    results: list[ImportResult]

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.results if r.outcome == outcome)

    @property
    def all_failed(self) -> bool:
        return bool(self.results) and all(r.failed for r in self.results)


Progress = Callable[[str, int, int, Path], None]


def import_run(
    paths: Iterable[str | Path],
    *,
    body: Body | None = None,
    create_bodies: bool = False,
    max_bytes: int = MAX_BYTES,
    actor=None,
    progress: Progress | None = None,
) -> RunSummary:
    """Import every file under `paths`; `progress(phase, done, total, path)` after each file."""
    files = collect_files(paths)
    entries = [_Entry(p) for p in files]
    total = len(entries)
    for done, entry in enumerate(entries, start=1):
        _read(entry, max_bytes)
        if progress:
            progress("read", done, total, entry.path)
    claimed: set[Path] = set()
    folders = files_by_folder(files)
    for entry in entries:
        if entry.listed:
            entry.attachments = attachment_files_for(entry.path, entry.listed, folders)
            claimed.update(entry.attachments.values())
    results = []
    for done, entry in enumerate(entries, start=1):
        if entry.path in claimed:
            result = ImportResult(entry.path.name, ATTACHED)
        elif entry.result is not None:
            result = entry.result
        else:
            result = _load(entry, body=body, create_bodies=create_bodies, actor=actor)
        results.append(result)
        if progress:
            progress("load", done, total, entry.path)
    return RunSummary(results)


def _read(entry: _Entry, max_bytes: int) -> None:
    name = entry.path.name
    try:
        size = entry.path.stat().st_size
        if size > max_bytes:
            # Refused unread; the parser words the reason.
            raise FileTooLargeError(name, size, max_bytes)
        data = entry.path.read_bytes()
    except ParseError as err:
        entry.result = ImportResult(name, Outcome.FAILED, message=str(err))
        return
    except OSError as err:
        entry.result = ImportResult(
            name,
            Outcome.FAILED,
            message=_("%(name)s: the file cannot be read (%(reason)s).")
            % {"name": name, "reason": err.strerror or err},
        )
        return
    entry.sha256 = services.content_hash(data)
    done = selectors.imported_file_done(entry.sha256)
    if done is not None:
        entry.result = ImportResult(
            name, Outcome.UNCHANGED, done.meeting_id, _("already imported (same content)")
        )
        entry.listed = [
            title
            for item in (done.parsed or {}).get("items", [])
            for title in (item.get("sections") or {}).get("attachments") or []
        ]
        return
    try:
        entry.parsed = parse_bytes(data, name, max_bytes=max_bytes)
    except ParseError as err:
        entry.result = ImportResult(name, Outcome.FAILED, message=str(err))
        return
    entry.listed = [t for item in entry.parsed.items for t in item.sections.attachments]


def _load(entry: _Entry, *, body, create_bodies, actor) -> ImportResult:
    name = entry.path.name
    try:
        return services.parsed_import(
            entry.parsed,
            source_name=name,
            content_sha256=entry.sha256,
            body=body,
            create_bodies=create_bodies,
            attachment_files=entry.attachments,
            actor=actor,
        )
    except Exception as err:  # a bug in one file's import must not stop the run
        log.exception("import of %s failed", entry.path)
        return ImportResult(
            name,
            Outcome.FAILED,
            message=_("%(name)s: unexpected error during import (%(error)s).")
            % {"name": name, "error": type(err).__name__},
        )
