"""Regenerate the golden JSON for our own fixtures; review the diff before committing.

Usage: .venv/bin/python -m sekretariat.ingest.parsers.tests.regenerate_golden
"""

from __future__ import annotations

import json
from pathlib import Path

from sekretariat.ingest.parsers import parse_path

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
GOLDEN = HERE / "golden"


def golden_payload(path: Path) -> str:
    return json.dumps(parse_path(path).to_dict(), ensure_ascii=False, indent=2) + "\n"


def main() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for path in sorted(FIXTURES.iterdir()):
        if path.is_file():
            target = GOLDEN / f"{path.name}.json"
            target.write_text(golden_payload(path), encoding="utf-8")
            print(f"wrote {target.relative_to(HERE)}")


if __name__ == "__main__":
    main()
