"""Reader stub."""

from __future__ import annotations

from ..errors import UnsupportedFormatError
from ..model import ParsedDocument


def read(data: bytes, filename: str) -> ParsedDocument:
    raise UnsupportedFormatError(filename, "endnu ikke understøttet")
