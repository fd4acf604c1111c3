"""Shared helpers: where ../shared is (the sibling of the repo root), and small PDF builders."""

from __future__ import annotations

from pathlib import Path

import pytest

from sekretariat.ingest.parsers.tests.pdf_objects import pdf_from_objects

REPO_ROOT = Path(__file__).resolve().parents[4]
SHARED = (REPO_ROOT / ".." / "shared").resolve()
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def shared_dir(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not there (the shared folder is absent)")
    return path


def encrypted_pdf() -> bytes:
    """A one-page PDF locked by the standard security handler (no usable password)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <"
        + b"11" * 32
        + b"> /U <"
        + b"22" * 32
        + b"> /P -4 >>",
    ]
    return pdf_from_objects(objects, trailer=f"/Encrypt 4 0 R /ID [<{'ab' * 16}> <{'ab' * 16}>]")


def html_pdf(html: str) -> bytes:
    """Render HTML to a PDF with a text layer (weasyprint)."""
    weasyprint = pytest.importorskip("weasyprint")
    return weasyprint.HTML(string=html).write_pdf()
