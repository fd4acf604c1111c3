"""Fejl: the errors the parser package raises on purpose.

Every message is one line of plain Danish meant for the person who handed in the file; the command
line prints ``str(error)`` and nothing else.

    ParseError
    ├── EmptyFileError           the file holds no bytes (or only whitespace)
    ├── FileTooLargeError        larger than the limit the caller set
    ├── UnsupportedFormatError   not a format we have a reader for
    ├── EncryptedFileError       a password-protected PDF or DOCX
    ├── CorruptFileError         the format is known but the file cannot be read
    │   └── UnreadableFileError  a reader failed where nobody foresaw it (the last resort)
    └── NotMeetingDocumentError  readable, but holds nothing that looks like a meeting document
"""

from __future__ import annotations


class ParseError(Exception):
    """Base of every error the parsers raise on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class EmptyFileError(ParseError):
    def __init__(self, filename: str) -> None:
        super().__init__(f"{filename}: filen er tom.")


class FileTooLargeError(ParseError):
    def __init__(self, filename: str, size: int, limit: int) -> None:
        super().__init__(
            f"{filename}: filen er for stor ({size // 1_000_000} MB; grænsen er "
            f"{limit // 1_000_000} MB)."
        )
        self.size = size
        self.limit = limit


class UnsupportedFormatError(ParseError):
    def __init__(self, filename: str, what: str = "") -> None:
        detail = f" ({what})" if what else ""
        super().__init__(
            f"{filename}: filformatet kan ikke indlæses{detail}; brug PDF, DOCX, HTML, tekst, "
            "Markdown eller en eksport (XML eller JSON) fra et sags- eller dagsordenssystem."
        )


class EncryptedFileError(ParseError):
    def __init__(self, filename: str) -> None:
        super().__init__(f"{filename}: filen er krypteret eller beskyttet med adgangskode.")


class CorruptFileError(ParseError):
    def __init__(self, filename: str, what: str) -> None:
        super().__init__(f"{filename}: filen er beskadiget og kan ikke læses ({what}).")


class UnreadableFileError(CorruptFileError):
    """The last resort of ``parse_bytes``: the reader failed in a way no message was written
    for. The person reads that the file seems damaged; the cause stays on ``__cause__`` for the
    log, and ``unexpected`` tells the fuzz harness that a reader needs a clearer message."""

    unexpected = True

    def __init__(self, filename: str, kind: str) -> None:
        ParseError.__init__(
            self,
            f"{filename}: filen ligner {kind}, men den ser ud til at være beskadiget eller lavet "
            "på en måde, som importen ikke kan læse.",
        )
        self.kind = kind


class NotMeetingDocumentError(ParseError):
    def __init__(self, filename: str, what: str = "") -> None:
        detail = f" ({what})" if what else ""
        super().__init__(
            f"{filename}: filen ligner ikke en dagsorden, et referat eller bilag til et møde{detail}."
        )
