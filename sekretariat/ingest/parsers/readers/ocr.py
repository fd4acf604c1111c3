"""OCR of scanned pages: Tesseract's Danish model through the ``tesseract`` command.

Pages are rendered with pypdfium2 and handed to ``tesseract - - -l dan`` on standard input. When
Tesseract or its Danish model is missing, nothing is recognised and the caller gets a warning to
put in the output; the run goes on.
"""

from __future__ import annotations

import io
import shutil
import subprocess

import pypdfium2 as pdfium

RENDER_SCALE = 300 / 72  # 300 dpi
TIMEOUT_SECONDS = 120


def tesseract_command() -> str | None:
    """The tesseract binary if it is installed with the Danish model, else None."""
    binary = shutil.which("tesseract")
    if binary is None:
        return None
    try:
        listing = subprocess.run(
            [binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    languages = {line.strip() for line in (listing.stdout + listing.stderr).splitlines()}
    return binary if "dan" in languages else None


def recognise_pages(
    pdf: pdfium.PdfDocument, indexes: list[int]
) -> tuple[dict[int, str], str | None]:
    """Text for each page index, and a warning for the output (or None)."""
    binary = tesseract_command()
    pages = ", ".join(str(i + 1) for i in indexes[:10]) + (" ..." if len(indexes) > 10 else "")
    if binary is None:
        return {}, (
            f"Side {pages} er scannede billeder uden tekst, og OCR (tesseract med dansk model, "
            "'tesseract-ocr-dan') er ikke installeret: siderne er ikke læst."
        )
    out: dict[int, str] = {}
    failed = []
    for index in indexes:
        page = pdf[index]
        try:
            image = page.render(scale=RENDER_SCALE).to_pil()
        finally:
            page.close()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        try:
            done = subprocess.run(
                [binary, "-", "-", "-l", "dan"],
                input=buffer.getvalue(),
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            failed.append(index + 1)
            continue
        if done.returncode != 0:
            failed.append(index + 1)
            continue
        out[index] = done.stdout.decode("utf-8", errors="replace")
    message = f"Side {pages} er læst med OCR (tesseract, dansk); kontroller teksten."
    if failed:
        message += f" OCR mislykkedes for side {', '.join(map(str, failed))}."
    return out, message
