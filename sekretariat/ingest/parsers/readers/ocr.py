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
# A page is rendered at 300 dpi, or smaller when that would pass this many pixels: an A3 page at
# 300 dpi is 17.4 million; a damaged page's size can claim kilometres.
MAX_RENDER_PIXELS = 40_000_000


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
        image = render_page(pdf, index)
        if image is None:
            failed.append(index + 1)
            continue
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


def render_scale(width: float, height: float) -> float:
    """300 dpi, or less for a page so large that 300 dpi would pass MAX_RENDER_PIXELS."""
    area = max(width, 1.0) * max(height, 1.0) * RENDER_SCALE**2
    if area <= MAX_RENDER_PIXELS:
        return RENDER_SCALE
    return RENDER_SCALE * (MAX_RENDER_PIXELS / area) ** 0.5


def render_page(pdf: pdfium.PdfDocument, index: int):
    """The page as a PIL image, or None when PDFium cannot load or render it."""
    try:
        page = pdf[index]
    except pdfium.PdfiumError:
        return None
    try:
        width, height = page.get_size()
        return page.render(scale=render_scale(width, height)).to_pil()
    except (pdfium.PdfiumError, ValueError, OverflowError, MemoryError):
        return None
    finally:
        page.close()
