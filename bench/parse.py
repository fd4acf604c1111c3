"""Parser speed: pages per second for a generated 200-page text-layer PDF, documents per second
for the real examples (../shared/real/docs), with a profile of where the time goes.

Usage: .venv/bin/python bench/parse.py [--pages 200] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sekretariat.ingest.parsers import parse_bytes  # noqa: E402

SHARED = ROOT.parent / "shared"


def agenda_html(pages: int) -> str:
    """An agenda of about ``pages`` pages: one item per page, each with the usual sections."""
    parts = [
        "<html><body style='font-family: sans-serif; font-size: 10pt'>",
        "<p>Referat</p><p>Økonomiudvalget</p><p>Mandag den 2. juni 2025 kl. 15.00-18.00</p>",
    ]
    paragraph = (
        "Forvaltningen har gennemgået budgettet for området og finder, at udgifterne til drift "
        "af bygninger stiger mere end forudsat, mens indtægterne fra udlejning er uændrede. "
    ) * 6
    for n in range(1, pages + 1):
        parts.append(
            f"<h2 style='page-break-before: always'>{n}. Budgetopfølgning for område {n}</h2>"
            f"<p>00.30.10-P35-{n}-25/ Sagsbehandler {n}</p><p>Resumé</p><p>{paragraph}</p>"
            f"<p>Indstilling</p><p>Det indstilles, at udvalget tager opfølgningen til efterretning."
            f"</p><p>Sagsfremstilling</p><p>{paragraph}</p><p>{paragraph}</p>"
            f"<p>Beslutning</p><p>Taget til efterretning.</p>"
        )
    parts.append("</body></html>")
    return "".join(parts)


def make_pdf(pages: int, folder: Path) -> Path:
    import weasyprint

    target = folder / f"agenda_{pages}.pdf"
    weasyprint.HTML(string=agenda_html(pages)).write_pdf(target)
    return target


def timed(data: bytes, name: str, repeat: int = 3) -> tuple[float, object]:
    best, doc = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        doc = parse_bytes(data, name)
        best = min(best, time.perf_counter() - started)
    return best, doc


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv[1:])
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        pdf = make_pdf(args.pages, Path(folder))
        print(f"generated {args.pages}-page PDF in {time.perf_counter() - started:.1f} s")
        data = pdf.read_bytes()
        import pypdfium2 as pdfium

        page_count = len(pdfium.PdfDocument(data))
        seconds, doc = timed(data, pdf.name)
        print(
            f"text-layer PDF: {page_count} pages in {seconds:.2f} s = "
            f"{page_count / seconds:.0f} pages/s ({len(doc.items)} items)"
        )
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            parse_bytes(data, pdf.name)
            profile.disable()
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(18)
            print(out.getvalue())
    docs = SHARED / "real" / "docs"
    if not docs.exists():
        print("../shared/real/docs is absent: no document figures")
        return 0
    files = sorted(p for p in docs.iterdir() if p.is_file())
    groups: dict[str, list[Path]] = {"text and exports": [], "pdf": []}
    for path in files:
        groups["pdf" if path.suffix == ".pdf" else "text and exports"].append(path)
    for label, paths in groups.items():
        total = 0.0
        for path in paths:
            seconds, _ = timed(path.read_bytes(), path.name)
            total += seconds
            if args.profile:
                print(f"  {path.name}: {seconds * 1000:.1f} ms")
        print(
            f"real documents, {label}: {len(paths)} in {total:.2f} s = {len(paths) / total:.0f} docs/s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
