"""`sekretariat import`: folders, bad files with Danish reasons, attachments beside a document."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from sekretariat.ingest.batch import ATTACHED, attachment_key, collect_files, import_run
from sekretariat.ingest.parsers.tests.conftest import encrypted_pdf
from sekretariat.ingest.services import Outcome
from sekretariat.meetings.models import AgendaItem, Attachment, Meeting

from .conftest import fixture_bytes

pytestmark = pytest.mark.django_db

BAD_FILES = {
    "tom.txt": b"",
    "laast.pdf": encrypted_pdf(),
    "itu.pdf": b"%PDF-1.4\nikke en rigtig pdf",
    "billede.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,
    "indkoeb.json": b'{"navn": "indkobsliste", "varer": ["mel", "salt"]}',
}
REASONS = {
    "tom.txt": "filen er tom",
    "laast.pdf": "krypteret",
    "itu.pdf": "beskadiget",
    "billede.png": "kan ikke indlæses",
    "indkoeb.json": "ligner ikke en dagsorden",
    "stor.txt": "for stor",
}


@pytest.fixture
def folder(tmp_path, body):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "dagsorden.txt").write_bytes(fixture_bytes("dagsorden_styregruppe.txt"))
    (tmp_path / "b").mkdir()
    for name, data in BAD_FILES.items():
        (tmp_path / "b" / name).write_bytes(data)
    (tmp_path / "b" / "stor.txt").write_bytes(b"Punkt 1: Eventuelt\n" * 80_000)
    (tmp_path / "c.txt").write_bytes(fixture_bytes("referat_styregruppe.txt"))
    (tmp_path / ".skjult.txt").write_bytes(b"ikke med")
    return tmp_path


def test_bad_files_get_one_danish_line_each_and_the_rest_is_imported(folder):
    summary = import_run([folder], max_bytes=1_000_000)
    by_name = {r.source_name: r for r in summary.results}
    assert ".skjult.txt" not in by_name
    assert by_name["dagsorden.txt"].outcome == Outcome.IMPORTED
    assert by_name["c.txt"].outcome == Outcome.UPDATED
    for name, words in REASONS.items():
        result = by_name[name]
        assert result.failed, name
        assert result.message.startswith(name) and "\n" not in result.message
        assert words in result.message, result.message
    assert Meeting.objects.get().status == Meeting.Status.MINUTES_APPROVED


def test_command_summary_and_exit_codes(folder, capsys):
    call_command("import", str(folder), "--max-mb", "1")
    out, err = capsys.readouterr()
    assert "indlæst: 1, opdateret: 1, uændret: 0, bilag: 0, FEJL: 6" in out
    assert "tom.txt: filen er tom." in err
    call_command("import", str(folder / "a"))
    assert "uændret: 1" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        call_command("import", str(folder / "b"), "--max-mb", "1")
    assert exit_info.value.code == 1


def test_attachment_files_beside_the_document_are_stored_with_the_item(tmp_path, body):
    folder = tmp_path / "moede"  # (beside the test's media folder, not above it)
    (folder / "dagsorden").mkdir(parents=True)
    (folder / "dagsorden.txt").write_bytes(fixture_bytes("dagsorden_styregruppe.txt"))
    (folder / "dagsorden" / "Bilag 1 - Vagtplan forår 2026.pdf").write_bytes(b"%PDF-1.4 vp")
    summary = import_run([folder])
    outcomes = {r.source_name: r.outcome for r in summary.results}
    assert outcomes == {
        "dagsorden.txt": Outcome.IMPORTED,
        "Bilag 1 - Vagtplan forår 2026.pdf": ATTACHED,
    }
    attachment = Attachment.objects.get()
    assert attachment.title == "Vagtplan forår 2026"
    assert attachment.item.number == "2" and attachment.access == "aaben"
    presentation = attachment.item.sections.get(section_type__role="sagsfremstilling").text
    # Only the attachment without a file is left in the note.
    assert presentation.endswith("Bilag:\n- Evaluering fra medarbejderne")
    # Again: nothing new, the file is not stored twice, and it is still reported as the
    # agenda's attachment, not as a document that failed.
    again = {r.source_name: r.outcome for r in import_run([folder]).results}
    assert again == {
        "dagsorden.txt": Outcome.UNCHANGED,
        "Bilag 1 - Vagtplan forår 2026.pdf": ATTACHED,
    }
    assert Attachment.objects.count() == 1
    assert AgendaItem.objects.count() == 4


def test_attachment_key_ignores_the_prefix_and_punctuation():
    assert attachment_key("Bilag 2: Prisoversigt, 2025") == attachment_key(
        "bilag2_prisoversigt-2025"
    )


def test_collect_files_walks_folders_and_skips_hidden(tmp_path):
    (tmp_path / "x" / ".git").mkdir(parents=True)
    (tmp_path / "x" / ".git" / "config").write_text("x")
    (tmp_path / "x" / "b.txt").write_text("x")
    (tmp_path / "a.txt").write_text("x")
    assert [p.name for p in collect_files([tmp_path, tmp_path / "a.txt"])] == ["a.txt", "b.txt"]


def test_a_link_out_of_the_folder_is_not_followed(tmp_path):
    outside = tmp_path / "udenfor"
    outside.mkdir()
    (outside / "hemmelig.txt").write_text("adgangskode 6e6e")
    folder = tmp_path / "import"
    (folder / "sub").mkdir(parents=True)
    (folder / "dagsorden.txt").write_text("Dagsorden")
    (folder / "link.txt").symlink_to(outside / "hemmelig.txt")
    (folder / "sub" / "mappe-link").symlink_to(outside, target_is_directory=True)
    (folder / "samme.txt").symlink_to(folder / "dagsorden.txt")  # inside: read once
    found = collect_files([folder])
    assert [p.name for p in found] == ["dagsorden.txt"]
