"""The marker words, the ledger of what each belongs to, and the viewers that look.

Every text the generator writes carries a marker word: 'qzx' and eight letters, lower case, no
digits (PostgreSQL's search would not find a word of digits and letters as written), never a
'q' after the prefix, so that one marker cannot begin inside another and none is part of
ordinary text. The ledger says whose text each marker is; the oracle decides from that who may
read it.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field

MARKER_PREFIX = "qzx"
MARKER_LETTERS = "abcdefghijklmnoprstuvwxyz"  # no 'q'
MARKER_LENGTH = 11

# --- the ledger: every marker written, and what it belongs to ---------------------------------


class Kind(enum.StrEnum):
    ITEM_TEXT = "item_text"  # an item's title or a section other than the decision
    PUBLIC_TITLE = "public_title"  # the neutral title a closed item shows the public
    DECISION = "decision"  # a decision, a correction's reason, a corrected decision's old text
    ATTACHMENT = "attachment"  # an attachment's title, file name or content
    JOURNAL = "journal"  # a journal number
    RETIRED = "retired"  # text since replaced or removed (title, section, attachment, item)


@dataclass
class Secret:
    marker: str
    kind: Kind
    where: str
    body_pk: int | None = None
    item_pk: int | None = None
    attachment_pk: int | None = None
    journal: str = ""
    # A journal number's: every body whose items have carried it (their staff and members
    # have seen it, wherever it is now).
    bodies_ever: set[int] = field(default_factory=set)


@dataclass
class Ledger:
    secrets: dict[str, Secret] = field(default_factory=dict)

    def add(self, secret: Secret) -> Secret:
        assert secret.marker not in self.secrets
        self.secrets[secret.marker] = secret
        return secret

    def retire(self, marker: str, why: str) -> None:
        secret = self.secrets[marker]
        secret.kind = Kind.RETIRED
        secret.where += f" ({why})"

    def retire_item(self, item_pk: int, why: str) -> None:
        for secret in self.secrets.values():
            if secret.item_pk == item_pk and secret.kind != Kind.RETIRED:
                self.retire(secret.marker, why)

    def of_kind(self, *kinds: Kind) -> list[Secret]:
        return [s for s in self.secrets.values() if s.kind in kinds]


class Markers:
    """Distinct marker words, the same for the same salt (hypothesis replays an example)."""

    def __init__(self, salt: int):
        self.salt = salt
        self.count = 0
        self.made: set[str] = set()

    def __call__(self) -> str:
        while True:
            self.count += 1
            digest = hashlib.sha256(f"{self.salt}:{self.count}".encode()).digest()
            n = len(MARKER_LETTERS)
            tail = "".join(MARKER_LETTERS[b % n] for b in digest[: MARKER_LENGTH - 3])
            word = MARKER_PREFIX + tail
            if word not in self.made:
                self.made.add(word)
                return word


# --- the viewers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ViewerSpec:
    """One viewer to crawl as, with the bodies whose closed material it may see: computed
    here from what the generator made (seats and their dates, the secretariats' bodies), not
    by asking the app."""

    name: str
    user: object | None
    full_bodies: frozenset[int]
    is_staff: bool = False
    description: str = ""

    @property
    def key(self) -> tuple:
        """Viewers with the same key see the same pages: one of them is crawled."""
        return (self.user is not None, self.is_staff, self.full_bodies)


def tiny_pdf(text: str) -> bytes:
    """A one-page PDF whose text is `text` (Helvetica, uncompressed)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out
