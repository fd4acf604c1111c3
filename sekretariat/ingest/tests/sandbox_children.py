"""Children that misbehave on purpose, for the sandbox's tests (`parse_in_child(entry=...)`).

Each is started exactly as the real reader is (`sandbox.parse_in_child`, same arguments, same
environment) and applies the same limits first (`sandbox.limits_apply`); only what comes after
differs. Django-free, like the real child.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time

from sekretariat.ingest.sandbox import limits_apply


def _limited() -> None:
    parser = argparse.ArgumentParser()
    for name in ("--cpu-seconds", "--memory-bytes", "--output-bytes"):
        parser.add_argument(name, type=int, required=True)
    parser.add_argument("--filename", required=True)
    args = parser.parse_args()
    sys.stdin.buffer.read()
    limits_apply(
        cpu_seconds=args.cpu_seconds,
        memory_bytes=args.memory_bytes,
        output_bytes=args.output_bytes,
    )


def crash() -> int:
    """Dies of a signal without an answer, as a C library out of memory does."""
    _limited()
    os.kill(os.getpid(), signal.SIGSEGV)
    return 0


def stubborn() -> int:
    """Starts a grandchild (as OCR starts tesseract), says its pid on stderr, and hangs."""
    _limited()
    grandchild = subprocess.Popen(["sleep", "300"])
    sys.stderr.write(f"grandchild={grandchild.pid}\n")
    sys.stderr.flush()
    time.sleep(300)
    return 0


def chatty() -> int:
    """Answers with more than the parent accepts."""
    _limited()
    sys.stdout.write('{"parsed": {"items": [], "x": "' + "x" * 3_000_000 + '"}}')
    return 0
