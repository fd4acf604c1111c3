"""The content-addressed file store: stored once, let go after commit, discarded on failure.

Rows that name files belong to apps above core; how a row keeps its file is tested with the
attachments (`meetings/tests/test_files.py`).
"""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from sekretariat.core import files
from sekretariat.core.dispatch import event_from_row
from sekretariat.core.events import FileStored
from sekretariat.core.models import AuditEvent

pytestmark = pytest.mark.django_db

CONTENT = b"referat 2026 - test 3f8c"
SHA = hashlib.sha256(CONTENT).hexdigest()


def stored_paths(settings) -> list[str]:
    root = settings.MEDIA_ROOT
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def store(content=CONTENT, name="Referat maj.pdf", **kwargs) -> files.StoredFile:
    with transaction.atomic():
        return files.file_store(ContentFile(content, name=name), **kwargs)


def test_a_file_is_stored_under_its_hash_in_the_attachments_layout(settings):
    stored = store(actor=None, action="test_3f8c")
    assert stored == files.StoredFile(
        name=f"bilag/{SHA[:2]}/{SHA}/Referat_maj.pdf",
        sha256=SHA,
        size_bytes=len(CONTENT),
        content_type="application/pdf",
    )
    assert default_storage.open(stored.name).read() == CONTENT
    row = AuditEvent.objects.get(action="test_3f8c")
    assert event_from_row(row) == FileStored(sha256=SHA, size_bytes=len(CONTENT))


def test_the_same_content_and_name_is_stored_once(settings):
    first, second = store(), store()
    assert first.name == second.name
    assert stored_paths(settings) == [first.name]
    # Another name keeps its own (the name is the file's name when it is downloaded).
    other = store(name="kopi.pdf")
    assert other.sha256 == SHA and other.name.endswith(f"{SHA}/kopi.pdf")
    assert len(stored_paths(settings)) == 2


@pytest.mark.parametrize(
    ("filename", "expected_end"),
    [
        ("mappe/under/notat 1.txt", "/notat_1.txt"),
        ("C:\\Dokumenter\\notat.docx", "/notat.docx"),
        ("..", "/fil"),
        ("x" * 400 + ".pdf", "x.pdf"),
    ],
)
def test_the_path_is_the_storage_s_valid_name_within_the_field_s_length(filename, expected_end):
    path = files.content_path(SHA, filename)
    assert path.startswith(f"bilag/{SHA[:2]}/{SHA}/")
    assert path.endswith(expected_end)
    assert len(path) <= files.MAX_NAME_LENGTH


def test_the_content_type_is_given_read_from_the_file_or_guessed():
    assert store(content_type="text/x-test").content_type == "text/x-test"
    assert store(name="uden-endelse").content_type == files.DEFAULT_CONTENT_TYPE
    upload = ContentFile(CONTENT, name="a.bin")
    upload.content_type = "application/x-upload"
    with transaction.atomic():
        assert files.file_store(upload).content_type == "application/x-upload"


def test_a_released_file_goes_after_the_commit_not_before(
    settings, django_capture_on_commit_callbacks
):
    stored = store()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        files.file_release(stored.name)
        assert default_storage.exists(stored.name)
    assert not default_storage.exists(stored.name)


def test_a_release_that_is_rolled_back_removes_nothing(django_capture_on_commit_callbacks):
    stored = store()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        files.file_release(stored.name)
        raise RuntimeError("fortrudt 3f8c")
    assert callbacks == []
    assert default_storage.exists(stored.name)


def test_files_stored_by_a_failed_block_are_removed_and_older_ones_kept(settings):
    older = store(b"aeldre bilag 3f8c", name="aeldre.txt")
    with (
        pytest.raises(RuntimeError),
        files.stored_files_discard_on_rollback() as stored,
        transaction.atomic(),
    ):
        again = files.file_store(ContentFile(b"aeldre bilag 3f8c", name="aeldre.txt"))
        new = files.file_store(ContentFile(CONTENT, name="ny.txt"))
        assert stored == [new.name]  # the older file was there already
        raise RuntimeError("midt i 3f8c")
    assert again.name == older.name
    assert stored_paths(settings) == [older.name]


def test_files_stored_by_a_block_that_succeeds_stay(settings):
    with files.stored_files_discard_on_rollback(), transaction.atomic():
        kept = files.file_store(ContentFile(CONTENT, name="ny.txt"))
    assert stored_paths(settings) == [kept.name]


def test_the_digest_reads_the_whole_file_and_rewinds_it():
    upload = ContentFile(CONTENT, name="a.txt")
    upload.read(5)
    assert files.file_digest(upload) == (SHA, len(CONTENT))
    assert upload.read() == CONTENT
    assert files.content_sha256(CONTENT) == SHA


def test_a_path_is_opened_as_a_file_and_closed(tmp_path):
    path = tmp_path / "bilag 3f8c.pdf"
    path.write_bytes(CONTENT)
    with files.file_opened(path) as opened:
        assert opened.name == "bilag 3f8c.pdf"
        assert files.file_digest(opened)[0] == SHA
    assert opened.closed


def test_the_module_examples():
    import doctest

    from sekretariat.core import files

    assert doctest.testmod(files).failed == 0
