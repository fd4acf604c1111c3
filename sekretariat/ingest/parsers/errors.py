"""Fejl: the errors the parser package raises on purpose.

Every message is one line of plain Danish meant for the person who handed in the file; the command
line prints ``str(error)`` and nothing else.

    ParseError
    ├── EmptyFileError           the file holds no bytes (or only whitespace)
    ├── FileTooLargeError        larger than the limit the caller set
    ├── UnsupportedFormatError   not a format we have a reader for
    ├── EncryptedFileError       a password-protected PDF or DOCX
    ├── CorruptFileError         the format is known but the file cannot be read
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
            "Markdown eller en eksport fra eDoc, SBSYS, Acadre eller en dagsordens-API."
        )


class EncryptedFileError(ParseError):
    def __init__(self, filename: str) -> None:
        super().__init__(f"{filename}: filen er krypteret eller beskyttet med adgangskode.")


class CorruptFileError(ParseError):
    def __init__(self, filename: str, what: str) -> None:
        super().__init__(f"{filename}: filen er beskadiget og kan ikke læses ({what}).")


class NotMeetingDocumentError(ParseError):
    def __init__(self, filename: str, what: str = "") -> None:
        detail = f" ({what})" if what else ""
        super().__init__(
            f"{filename}: filen ligner ikke en dagsorden, et referat eller bilag til et møde{detail}."
        )
