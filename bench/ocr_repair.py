"""OCR repair on seed 002: words wrong before and after repair, and words the repair broke.

Usage: .venv/bin/python bench/ocr_repair.py [DAMAGED] [CORRECTED]
Defaults: ../shared/seeds/002_*.txt (first lines) and ../shared/seeds-truth/002_ocr_lines_1-72.txt,
i.e. lines 1-72 of seed 002 as OCR left them and as corrected by hand. Words are compared
position by position (whitespace tokens); the repair runs on the whole document, as the importer
does, and the first lines are measured.
"""

from __future__ import annotations

import difflib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sekretariat.ingest.parsers.ocr_repair import looks_damaged, repair_text  # noqa: E402

SHARED = ROOT.parent / "shared"


def pairs(a: list[str], b: list[str]) -> list[tuple[str | None, str | None]]:
    if len(a) == len(b):
        return list(zip(a, b, strict=True))
    out: list[tuple[str | None, str | None]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out += list(zip(a[i1:i2], b[j1:j2], strict=True))
        else:
            left, right = a[i1:i2], b[j1:j2]
            for k in range(max(len(left), len(right))):
                out.append(
                    (left[k] if k < len(left) else None, right[k] if k < len(right) else None)
                )
    return out


def measure(damaged_full: str, corrected: str) -> dict[str, object]:
    n_lines = len(corrected.rstrip("\n").split("\n"))
    started = time.perf_counter()
    repaired_full, changes = repair_text(damaged_full)
    seconds = time.perf_counter() - started
    before = " ".join(damaged_full.split("\n")[:n_lines]).split()
    after = " ".join(repaired_full.split("\n")[:n_lines]).split()
    truth = corrected.split()
    wrong_before = sum(1 for x, y in pairs(before, truth) if x != y)
    wrong_after = sum(1 for x, y in pairs(after, truth) if x != y)
    broken = [
        (b, a)
        for (b, t), (a, _) in zip(pairs(before, truth), pairs(after, truth), strict=False)
        if b == t and a != t
    ]
    still = [(a, t) for a, t in pairs(after, truth) if a != t]
    return {
        "words": len(truth),
        "wrong_before": wrong_before,
        "wrong_after": wrong_after,
        "broken": broken,
        "still_wrong": still,
        "changes_in_document": changes,
        "damaged_detected": looks_damaged(damaged_full),
        "seconds": seconds,
    }


def main(argv: list[str]) -> int:
    damaged = Path(argv[1]) if len(argv) > 1 else next(SHARED.glob("seeds/002_*.txt"), None)
    corrected = (
        Path(argv[2]) if len(argv) > 2 else SHARED / "seeds-truth" / "002_ocr_lines_1-72.txt"
    )
    if damaged is None or not damaged.exists() or not corrected.exists():
        print("the sample is not there (../shared/seeds and ../shared/seeds-truth)")
        return 2
    result = measure(damaged.read_text(encoding="utf-8"), corrected.read_text(encoding="utf-8"))
    print(f"document looks damaged: {result['damaged_detected']}")
    print(f"words compared:         {result['words']}")
    print(f"wrong before repair:    {result['wrong_before']}")
    print(f"wrong after repair:     {result['wrong_after']}")
    print(f"broken by repair:       {len(result['broken'])}")
    print(f"words changed (whole document): {result['changes_in_document']}")
    print(f"time for the whole document:    {result['seconds']:.2f} s")
    for before, after in result["broken"]:
        print(f"  broken: {before!r} -> {after!r}")
    for got, want in result["still_wrong"]:
        print(f"  still wrong: {got!r} (want {want!r})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
