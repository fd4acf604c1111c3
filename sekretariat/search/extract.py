"""Text of an attachment's file, for the index: plain text, HTML, PDF and DOCX.

Extraction never raises: a file that cannot be read is indexed by its title alone. The text is
cut at `MAX_CHARS`, which keeps one enormous attachment from dominating the index and the time
a catch-up takes.
"""

import io
import logging
import re

logger = logging.getLogger(__name__)

MAX_CHARS = 200_000
_TAG_RE = re.compile(r"<[^>]+>")


def attachment_text(attachment) -> str:
    """The text of `attachment.file` ('' when there is none or it cannot be read)."""
    try:
        with attachment.file.open("rb") as handle:
            data = handle.read(50 * 1024 * 1024)
    except (OSError, ValueError):
        return ""
    name = (attachment.file.name or "").lower()
    content_type = (attachment.content_type or "").lower()
    try:
        if name.endswith(".pdf") or content_type == "application/pdf":
            text = _pdf_text(data)
        elif name.endswith(".docx") or "wordprocessingml" in content_type:
            text = _docx_text(data)
        elif name.endswith((".html", ".htm")) or content_type == "text/html":
            text = _TAG_RE.sub(" ", _decode(data))
        elif content_type.startswith("text/") or name.endswith((".txt", ".md", ".csv")):
            text = _decode(data)
        else:
            text = ""
    except Exception:  # a damaged file must not stop indexing
        logger.warning("Could not read the text of attachment %s", attachment.pk, exc_info=True)
        text = ""
    return text[:MAX_CHARS]


def _decode(data: bytes) -> str:
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _pdf_text(data: bytes) -> str:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    try:
        parts = []
        total = 0
        for page in pdf:
            text = page.get_textpage().get_text_range()
            parts.append(text)
            total += len(text)
            if total > MAX_CHARS:
                break
        return "\n".join(parts)
    finally:
        pdf.close()


def _docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)
