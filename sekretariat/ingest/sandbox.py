"""Sandkasse: read an uploaded file in a child process that may use only so much time and memory.

A file from the web may be a decompression bomb or a PDF that takes minutes and gigabytes to
read. So the web process (or the worker) never reads one itself: `parse_in_child` starts

    python -I -c "... from sekretariat.ingest.sandbox import main ..." --filename NAME ...

hands it the bytes on standard input and waits at most `Limits.wall_seconds`. The child (`main`)
first limits itself (address space `RLIMIT_AS`, processor time `RLIMIT_CPU`, no core file, files
written `RLIMIT_FSIZE`), then parses with the pure parser package and writes one JSON object to
standard output: the parse (`ParsedDocument.to_dict()`) and the file's text, or why it could not
be read. A child past a limit is stopped (by the kernel, or by the parent, which kills its whole
process group: OCR's `tesseract` too) and the parent reports a `Failure`, never an exception.

The child gets no database and no secrets: its environment is a short list of harmless
variables, and it imports neither Django nor any app (only `ingest.parsers` and
`ingest.documents`). This module is the same: the caller (`ingest.services.upload_parse`)
turns a result into the upload's row and its failures into Danish messages.
"""

from __future__ import annotations

import argparse
import contextlib
import enum
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MB = 1024 * 1024
_ROOT = str(Path(__file__).resolve().parents[2])  # the folder that holds `sekretariat/`

# What the child runs, as "module:function" (a test may name another entry; it is handed the
# same arguments and applies the same limits).
CHILD_ENTRY = "sekretariat.ingest.sandbox:main"

# The variables a child inherits; everything else (DATABASE_URL, the secret key, the broker's
# address) stays with the parent.
_INHERITED_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TESSDATA_PREFIX")


@dataclass(frozen=True)
class Limits:
    """What one read may use. Memory is address space (`RLIMIT_AS`): what a process maps, a
    little more than it touches; 1.5 GB reads a several hundred page PDF with room to spare."""

    wall_seconds: float = 120.0
    cpu_seconds: int = 120
    memory_bytes: int = 1536 * MB
    # The largest answer the parent accepts (the parse and the text as JSON).
    output_bytes: int = 32 * MB


class Failure(enum.Enum):
    """Why a child gave no parse."""

    PARSE_ERROR = "parse_error"  # the parser refused the file; `message` says why, in Danish
    TOO_SLOW = "too_slow"  # past the wall time or the processor time
    TOO_MUCH_MEMORY = "too_much_memory"  # the address space ran out
    OUTPUT_TOO_LARGE = "output_too_large"  # the parse is larger than `Limits.output_bytes`
    CRASHED = "crashed"  # the child died otherwise (a signal, no answer)


@dataclass(frozen=True)
class ChildResult:
    """A child's answer: `parsed` and `source_text`, or a `failure` (with the parser's Danish
    `message` for `PARSE_ERROR`). `seconds` is the wall time the child took."""

    parsed: dict[str, Any] | None = None
    source_text: str = ""
    failure: Failure | None = None
    message: str = ""
    seconds: float = 0.0
    detail: str = field(default="", compare=False)  # for the log: exit status, stderr's tail

    @property
    def ok(self) -> bool:
        return self.failure is None and self.parsed is not None


# --- the parent's side ------------------------------------------------------------------------


def parse_in_child(
    data: bytes, filename: str, limits: Limits = Limits(), *, entry: str = CHILD_ENTRY
) -> ChildResult:
    """Parse `data` in a child process under `limits`; never raises for what the file does."""
    # `-I`: no PYTHON* variables, no user site, not the working directory on the path; the
    # project is put there by hand (an installation run from its checkout is not installed).
    module, function = entry.split(":")
    bootstrap = (
        f"import sys; sys.path.insert(0, {_ROOT!r}); "
        f"from {module} import {function} as main; sys.exit(main())"
    )
    command = [
        sys.executable, "-I", "-c", bootstrap,
        "--filename", filename,
        "--cpu-seconds", str(int(limits.cpu_seconds)),
        "--memory-bytes", str(int(limits.memory_bytes)),
        "--output-bytes", str(int(limits.output_bytes)),
    ]  # fmt: skip
    started = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        # Answers go to files, not pipes: the child's own RLIMIT_FSIZE bounds them, and the
        # parent never holds more than it reads back.
        child = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=out,
            stderr=err,
            env=_child_env(),
            cwd=tempfile.gettempdir(),
            start_new_session=True,  # its own process group: a kill reaches tesseract too
        )
        timed_out = False
        try:
            child.communicate(input=data, timeout=limits.wall_seconds)
        except subprocess.TimeoutExpired:
            timed_out = True
        finally:
            _kill_group(child)  # also any grandchild left behind after a normal exit
            child.wait()
        seconds = time.monotonic() - started
        err.seek(0, os.SEEK_END)
        err.seek(max(0, err.tell() - 2000))
        detail = f"exit {child.returncode}; " + err.read().decode("utf-8", "replace").strip()
        if timed_out:
            return ChildResult(failure=Failure.TOO_SLOW, seconds=seconds, detail=detail)
        out.seek(0)
        raw = out.read(limits.output_bytes + 1)
    return _result(child.returncode, raw, limits, seconds, detail)


def _result(
    returncode: int, raw: bytes, limits: Limits, seconds: float, detail: str
) -> ChildResult:
    if returncode == -signal.SIGXCPU:  # the processor limit
        return ChildResult(failure=Failure.TOO_SLOW, seconds=seconds, detail=detail)
    if returncode == -signal.SIGKILL:
        # Not ours (a timeout is reported above) and not the hard processor limit (SIGXCPU
        # ends the child first): the kernel's out-of-memory killer.
        return ChildResult(failure=Failure.TOO_MUCH_MEMORY, seconds=seconds, detail=detail)
    if returncode == -signal.SIGXFSZ or len(raw) > limits.output_bytes:
        return ChildResult(failure=Failure.OUTPUT_TOO_LARGE, seconds=seconds, detail=detail)
    try:
        answer = json.loads(raw) if returncode == 0 else None
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        # A C library that cannot get memory often aborts instead of failing politely.
        return ChildResult(failure=Failure.CRASHED, seconds=seconds, detail=detail)
    if isinstance(answer.get("parsed"), dict):
        return ChildResult(
            parsed=answer["parsed"],
            source_text=str(answer.get("source_text") or ""),
            seconds=seconds,
            detail=detail,
        )
    try:
        failure = Failure(answer.get("failure"))
    except ValueError:
        failure = Failure.CRASHED
    return ChildResult(
        failure=failure, message=str(answer.get("message") or ""), seconds=seconds, detail=detail
    )


def _kill_group(child: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(child.pid, signal.SIGKILL)


def _child_env() -> dict[str, str]:
    env = {name: os.environ[name] for name in _INHERITED_ENV if name in os.environ}
    env["OMP_THREAD_LIMIT"] = "1"  # tesseract: one core, so that the processor limit holds
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


# --- the child's side -------------------------------------------------------------------------


def limits_apply(*, cpu_seconds: int, memory_bytes: int, output_bytes: int) -> None:
    """Limit this process (and what it starts) before it reads anything."""
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    # The soft limit sends SIGXCPU; the hard one, a little later, SIGKILL.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 2))
    # The answer is the only file written: a little over the largest accepted.
    resource.setrlimit(resource.RLIMIT_FSIZE, (output_bytes + MB, output_bytes + MB))


def read(data: bytes, filename: str, output_bytes: int) -> dict[str, Any]:
    """The answer for one file (what `main` writes)."""
    from .documents import source_text
    from .parsers import ParseError, parse_bytes

    try:
        doc = parse_bytes(data, filename, max_bytes=len(data) + 1)
        answer = {"parsed": doc.to_dict(), "source_text": source_text(data, filename)}
    except MemoryError:
        return {"failure": Failure.TOO_MUCH_MEMORY.value}
    except ParseError as err:
        # The parser words a MemoryError as 'too complex'; past our limit it is memory.
        if isinstance(err.__cause__, MemoryError):
            return {"failure": Failure.TOO_MUCH_MEMORY.value}
        return {"failure": Failure.PARSE_ERROR.value, "message": str(err)}
    del doc
    return answer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sekretariat.ingest.sandbox")
    parser.add_argument("--filename", required=True)
    parser.add_argument("--cpu-seconds", type=int, required=True)
    parser.add_argument("--memory-bytes", type=int, required=True)
    parser.add_argument("--output-bytes", type=int, required=True)
    args = parser.parse_args(argv)
    # The parsers are imported before the limits (what they load later is the file's share).
    from . import documents, parsers  # noqa: F401

    limits_apply(
        cpu_seconds=args.cpu_seconds,
        memory_bytes=args.memory_bytes,
        output_bytes=args.output_bytes,
    )
    try:
        answer = read(sys.stdin.buffer.read(), args.filename, args.output_bytes)
        payload = json.dumps(answer, ensure_ascii=False).encode("utf-8")
    except MemoryError:
        payload = json.dumps({"failure": Failure.TOO_MUCH_MEMORY.value}).encode()
    if len(payload) > args.output_bytes:
        payload = json.dumps({"failure": Failure.OUTPUT_TOO_LARGE.value}).encode()
    sys.stdout.buffer.write(payload)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
