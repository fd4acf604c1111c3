"""Bad input: one clear Danish line per file, a typed error, and a non-zero exit from `parse`."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.management import call_command

from sekretariat.ingest.parsers import (
    CorruptFileError,
    EmptyFileError,
    EncryptedFileError,
    FileTooLargeError,
    NotMeetingDocumentError,
    ParseError,
    UnsupportedFormatError,
    parse_bytes,
)

from .conftest import FIXTURES, encrypted_pdf


@pytest.mark.parametrize(
    ("data", "name", "error"),
    [
        (b"", "tom.txt", EmptyFileError),
        (b"   \n\t ", "blank.md", EmptyFileError),
        (encrypted_pdf(), "laast.pdf", EncryptedFileError),
        (b"%PDF-1.4\nikke en rigtig pdf", "itu.pdf", CorruptFileError),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "billede.png", UnsupportedFormatError),
        (b"PK\x03\x04" + b"\x00" * 60, "arkiv.zip", UnsupportedFormatError),
        (b"PK\x03\x04 broken", "itu.docx", CorruptFileError),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 60, "laast.docx", EncryptedFileError),
        (b'{"navn": "indkobsliste", "varer": ["mel"]}', "liste.json", NotMeetingDocumentError),
        (b"{ikke json", "itu.json", CorruptFileError),
        (b"<root><x>1</x></root>", "ukendt.xml", NotMeetingDocumentError),
        (b"<Publication><Agendas/></Publication>", "tom_publication.xml", NotMeetingDocumentError),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_bad_input_raises_a_typed_error_with_one_danish_line(data, name, error):
    with pytest.raises(error) as caught:
        parse_bytes(data, name)
    message = str(caught.value)
    assert isinstance(caught.value, ParseError)
    assert message.startswith(name) and "\n" not in message


def test_too_large():
    with pytest.raises(FileTooLargeError, match="for stor"):
        parse_bytes(b"x" * 2_000_001, "stor.txt", max_bytes=1_000_000)


def test_command_prints_json_and_exits_zero(capsys):
    call_command("parse", str(FIXTURES / "punkt_kolon_referat.txt"))
    payload = json.loads(capsys.readouterr().out)
    assert payload["schema"] == "sekretariat.parse/1"
    assert payload["items"][1]["presenter"] == "Lis Brandt"


def test_command_writes_out_dir_and_fails_for_bad_files(tmp_path, capsys):
    empty = tmp_path / "tom.txt"
    empty.write_bytes(b"")
    good = FIXTURES / "loebenumre_referat.txt"
    with pytest.raises(SystemExit) as caught:
        call_command("parse", str(good), str(empty), "--out", str(tmp_path / "ud"))
    assert caught.value.code == 1
    assert "tom.txt: filen er tom." in capsys.readouterr().err
    written = json.loads((tmp_path / "ud" / "loebenumre_referat.json").read_text("utf-8"))
    assert [i["number"] for i in written["items"]] == ["412", "413"]


def test_docx_reader_keeps_headings_and_tables():
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("Dagsorden")
    document.add_paragraph("Seniorrådet")
    document.add_paragraph("Tirsdag den 4. februar 2025 kl. 10.00")
    document.add_heading("1. Budgetønsker for 2026", 2)
    document.add_heading("Indstilling", 3)
    document.add_paragraph("Det indstilles, at rådet prioriterer tre ønsker.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Ønske"
    table.cell(0, 1).text = "Pris 7f3a"
    document.add_heading("2. Eventuelt", 2)
    buffer = io.BytesIO()
    document.save(buffer)
    doc = parse_bytes(buffer.getvalue(), "seniorraad.docx")
    assert doc.body == "Seniorrådet" and doc.meeting.date == "2025-02-04"
    assert [i.title for i in doc.items] == ["Budgetønsker for 2026", "Eventuelt"]
    assert "Pris 7f3a" in doc.items[0].sections.recommendation


def test_docx_that_is_a_zip_without_word_parts_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<ikke-word/>")
    with pytest.raises(CorruptFileError):
        parse_bytes(buffer.getvalue(), "falsk.docx")


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_word_file_that_unpacks_to_too_much_is_refused_before_it_is_unpacked():
    from sekretariat.ingest.parsers.readers import docx as reader

    # 201 MB of zeros pack into a fraction of a megabyte.
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\0" * (201 << 20)})
    assert len(bomb) < 1 << 20
    with pytest.raises(CorruptFileError) as info:
        parse_bytes(bomb, "bombe.docx")
    assert "pakker ud til 201 MB" in str(info.value)
    many = _zip({f"word/media/{n}.bin": b"x" for n in range(reader.MAX_PARTS + 1)})
    with pytest.raises(CorruptFileError, match="dele"):
        parse_bytes(many, "mange.docx")
