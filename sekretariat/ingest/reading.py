"""Læsning af uploads: how an uploaded file is read outside the web request (no writes here).

- `upload_check`: what the request itself may check of a file (size, emptiness, format by its
  first bytes), cheaply and without reading it;
- `read_limits`, `read_stale_after`: what one reading may use, and when a reading has stopped;
- `read_failure_message`: the Danish words for a child that gave no parse;
- `BackgroundReader`: the one thread per process that reads uploads (the `inline` mode).

The reading itself and what is kept of it are `services.upload_parse`; the child process is
`sandbox.py`. See docs/architecture.md, "Uploads are read outside the request".
"""

from __future__ import annotations

import datetime
import logging
import math
import queue
import threading
import time
from collections.abc import Callable, Sequence

from django.conf import settings
from django.db import connections
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .parsers import EmptyFileError, FileTooLargeError
from .parsers.detect import sniff
from .sandbox import MB, ChildResult, Failure, Limits

logger = logging.getLogger(__name__)

# The Danish words for a child that gave no parse (the parser's own refusals are Danish already).
FAILURE_TEXTS = {
    Failure.TOO_SLOW: gettext_noop("%(name)s: the file took too long to read; it may be damaged."),
    Failure.TOO_MUCH_MEMORY: gettext_noop(
        "%(name)s: the file needed too much memory to read; it may be damaged."
    ),
    Failure.CRASHED: gettext_noop("%(name)s: the reader stopped on the file; it may be damaged."),
    Failure.OUTPUT_TOO_LARGE: gettext_noop(
        "%(name)s: the file holds more than the import screen can show; import it with "
        "the command line (sekretariat import)."
    ),
}
FILE_GONE_TEXT = gettext_noop("%(name)s: the uploaded file is gone; upload it again.")


def upload_check(data: bytes, name: str, max_bytes: int) -> None:
    """Refuse at once what needs no reading: too large, empty, or a format we have no reader
    for (by the first bytes and the name, `parsers.detect.sniff`). Raises ParseError."""
    if len(data) > max_bytes:
        raise FileTooLargeError(name, len(data), max_bytes)
    if not data.strip():
        raise EmptyFileError(name)
    sniff(data, name)


def read_limits() -> Limits:
    """What reading one upload may use: `SEKRETARIAT_UPLOAD_READ_SECONDS` (120) of wall and
    processor time, `SEKRETARIAT_UPLOAD_READ_MEMORY_MB` (1536) of address space."""
    seconds = float(getattr(settings, "SEKRETARIAT_UPLOAD_READ_SECONDS", 120))
    memory_mb = float(getattr(settings, "SEKRETARIAT_UPLOAD_READ_MEMORY_MB", 1536))
    return Limits(
        wall_seconds=seconds,
        cpu_seconds=max(1, math.ceil(seconds)),
        memory_bytes=int(memory_mb * MB),
    )


def read_stale_after() -> datetime.timedelta:
    """A reading begun this long ago has stopped (no child outlives the time limit), and an
    upload received this long ago and not begun was lost on its way: both are read again."""
    return datetime.timedelta(seconds=read_limits().wall_seconds + 60)


def read_failure_message(name: str, result: ChildResult | None) -> str:
    """Why the upload could not be read, in Danish (None: its stored file was gone)."""
    if result is None:
        return _(FILE_GONE_TEXT) % {"name": name}
    if result.failure == Failure.PARSE_ERROR and result.message:
        return result.message
    text = FAILURE_TEXTS.get(result.failure, FAILURE_TEXTS[Failure.CRASHED])
    return _(text) % {"name": name}


class BackgroundReader:
    """One daemon thread per process that runs `work(upload_id)` for the ids queued here, one
    at a time: a burst of uploads starts one child at a time, not one each. The request that
    queues returns at once. A process that ends drops its queue; those uploads are stuck in
    'received' and are sent again (`services.uploads_redispatch_stuck`)."""

    ATTEMPTS = 3

    def __init__(self, work: Callable[[int], object], name: str) -> None:
        self._work = work
        self._name = name
        self._queue: queue.SimpleQueue[int] = queue.SimpleQueue()
        self._queued: set[int] = set()  # an upload asked for twice is read once
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def read(self, upload_ids: Sequence[int]) -> None:
        with self._lock:
            for upload_id in upload_ids:
                if upload_id not in self._queued:
                    self._queued.add(upload_id)
                    self._queue.put(upload_id)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            upload_id = self._queue.get()
            try:
                self._work_with_retries(upload_id)
            finally:
                connections.close_all()  # this thread's connections only
                with self._lock:
                    self._queued.discard(upload_id)

    def _work_with_retries(self, upload_id: int) -> None:
        for attempt in range(1, self.ATTEMPTS + 1):
            try:
                self._work(upload_id)
                return
            except Exception:  # noqa: BLE001 - logged; a database busy for a moment passes
                if attempt == self.ATTEMPTS:
                    logger.exception(
                        "Upload %s: reading it failed; it is sent again once it is stuck.",
                        upload_id,
                    )
                    return
                logger.warning("Upload %s: reading it failed; trying again.", upload_id)
                connections.close_all()
                time.sleep(attempt)
