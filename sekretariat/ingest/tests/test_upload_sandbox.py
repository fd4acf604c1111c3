"""Uploads are read outside the web request, in a child process with limits.

The children here are real processes: the real reader on inputs that really take too long or
too much memory under a small limit, and (`sandbox_children.py`) children that crash, hang with
a grandchild, or answer too much, started the same way with the same limits.
"""

from __future__ import annotations

import datetime
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from sekretariat.bodies.tests import factories as bf
from sekretariat.core.models import AuditEvent, EventConsumerPosition
from sekretariat.ingest import reading, sandbox, selectors, services
from sekretariat.ingest.models import ImportedFile
from sekretariat.ingest.sandbox import Failure, Limits, parse_in_child
from sekretariat.ingest.tests.conftest import fixture_bytes

AGENDA = "dagsorden_styregruppe.txt"
CHILDREN = "sekretariat.ingest.tests.sandbox_children"

# A registry of the uploads consumer alone (the installation's, `config/consumers.py`, lists it
# with the others), for `SEKRETARIAT_EVENT_CONSUMERS`.
UPLOADS_ONLY = (services.UPLOADS,)


def long_agenda(items: int = 5000) -> bytes:
    """A valid agenda; 5000 items (7 MB) take ~3 s of processor time and ~130 MB to read, 8000
    items ~5 s (on the machine these tests were written on)."""
    lines = ["Dagsorden", "", "Styregruppen for Fælles Hjemmepleje", "Mødedato: 3. marts 2025", ""]
    for n in range(1, items + 1):
        lines += [
            f"{n}. Sag nummer {n} om vagtplaner 5c1e",
            "",
            "Resumé:",
            "Teksten om sagen og dens baggrund 5c1e. " * 40,
            "",
            "Indstilling:",
            "Det indstilles at tage orienteringen til efterretning.",
            "",
        ]
    return "\n".join(lines).encode()


def receive(data: bytes, name: str, actor=None) -> ImportedFile:
    return services.upload_receive(data=data, filename=name, max_bytes=50_000_000, actor=actor)


@pytest.fixture
def staff(body):
    return bf.secretariat_user(body)


# --- the request only keeps the file -----------------------------------------------------------


@pytest.mark.django_db
def test_the_request_keeps_the_file_and_reads_nothing(client, staff, settings, monkeypatch):
    settings.SEKRETARIAT_EVENT_HANDLING = "worker"  # nothing reads in this process

    def no_parsing(*args, **kwargs):
        raise AssertionError("the request parsed the file")

    for name in ("parse_bytes", "parse_in_child"):
        monkeypatch.setattr(services, name, no_parsing)
    client.force_login(staff)
    r = client.post(
        reverse("ingest:upload"), {"file": SimpleUploadedFile(AGENDA, fixture_bytes(AGENDA))}
    )
    upload = ImportedFile.objects.get()
    assert r.status_code == 302
    assert upload.status == ImportedFile.Status.RECEIVED
    assert upload.parsed == {} and upload.source_text == "" and upload.document_type == ""
    assert upload.read_started_at is None
    # The bytes wait in the file store, by their content hash.
    assert upload.sha256 in upload.source_file.name
    with default_storage.open(upload.source_file.name) as f:
        assert f.read() == fixture_bytes(AGENDA)
    recorded = AuditEvent.objects.filter(action="upload_receive").values_list("event", flat=True)
    assert sorted(recorded) == ["file_stored", "upload_changed"]


@pytest.mark.django_db
def test_upload_parse_fills_the_upload_and_lets_go_of_the_file(
    staff, django_capture_on_commit_callbacks
):
    upload = receive(fixture_bytes(AGENDA), AGENDA, staff)
    stored = upload.source_file.name
    with django_capture_on_commit_callbacks(execute=True):
        read = services.upload_parse(upload.pk)
    assert read is not None
    upload.refresh_from_db()
    assert upload.status == ImportedFile.Status.PENDING
    titles = [item["title"] for item in upload.parsed["items"]]
    assert "Orientering om ny vagtplan for aftenholdet" in titles
    assert "Punkt 2: Orientering om ny vagtplan" in upload.source_text
    assert upload.document_type == "agenda"
    assert upload.source_file.name == "" and upload.read_started_at is None
    assert not default_storage.exists(stored)  # released once read
    assert AuditEvent.objects.filter(action="upload_parse").count() == 1
    # Reading it again does nothing: it is no longer 'received'.
    assert services.upload_parse(upload.pk) is None
    assert AuditEvent.objects.filter(action="upload_parse").count() == 1


@pytest.mark.django_db
def test_a_reading_begun_elsewhere_is_left_alone_until_it_is_stale(staff):
    upload = receive(fixture_bytes(AGENDA), AGENDA, staff)
    now = timezone.now()
    ImportedFile.objects.filter(pk=upload.pk).update(read_started_at=now)
    assert services.upload_parse(upload.pk) is None
    assert selectors.uploads_waiting(stale_after=reading.read_stale_after(), fresh_too=True) == []
    # Its process died: after the time limit and a minute it is read again.
    ImportedFile.objects.filter(pk=upload.pk).update(
        read_started_at=now - reading.read_stale_after() - datetime.timedelta(seconds=1)
    )
    assert selectors.uploads_waiting(stale_after=reading.read_stale_after(), fresh_too=False) == [
        upload.pk
    ]
    assert services.upload_parse(upload.pk).status == ImportedFile.Status.PENDING


@pytest.mark.django_db
def test_an_upload_whose_file_is_gone_says_so(staff):
    upload = receive(fixture_bytes(AGENDA), "vaek-2a7c.txt", staff)
    default_storage.delete(upload.source_file.name)
    assert services.upload_parse(upload.pk).status == ImportedFile.Status.UNREADABLE
    assert ImportedFile.objects.get().read_error == (
        "vaek-2a7c.txt: den uploadede fil er væk; upload den igen."
    )


@pytest.mark.django_db
def test_upload_parse_refuses_to_run_inside_a_transaction(staff):
    from django.db import transaction

    upload = receive(fixture_bytes(AGENDA), AGENDA, staff)
    with transaction.atomic(), pytest.raises(RuntimeError):
        services.upload_parse(upload.pk)


# --- limits ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_file_past_the_time_limit_is_unreadable_and_the_web_process_goes_on(
    client, staff, settings
):
    settings.SEKRETARIAT_UPLOAD_READ_SECONDS = 0.5
    upload = receive(long_agenda(8000), "lang-dagsorden-5c1e.txt", staff)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    services.upload_parse(upload.pk)
    elapsed = time.monotonic() - started
    upload.refresh_from_db()
    assert upload.status == ImportedFile.Status.UNREADABLE
    assert upload.read_error == (
        "lang-dagsorden-5c1e.txt: filen tog for lang tid at læse; den kan være beskadiget."
    )
    assert elapsed < 10
    # The child's work did not land here: this process grew by less than the read needs.
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before < 60_000  # kB
    client.force_login(staff)
    page = client.get(reverse("ingest:review", kwargs={"pk": upload.pk}))
    assert page.status_code == 200
    assert "filen tog for lang tid at læse" in page.text
    assert "Kassér den uploadede fil" in page.text


@pytest.mark.django_db
def test_a_file_past_the_memory_limit_is_unreadable(client, staff, settings):
    settings.SEKRETARIAT_UPLOAD_READ_MEMORY_MB = 64  # the reader needs ~130 MB for this file
    upload = receive(long_agenda(), "stor-dagsorden-5c1e.txt", staff)
    services.upload_parse(upload.pk)
    upload.refresh_from_db()
    assert upload.status == ImportedFile.Status.UNREADABLE
    assert upload.read_error == (
        "stor-dagsorden-5c1e.txt: filen krævede for meget hukommelse at læse; "
        "den kan være beskadiget."
    )
    client.force_login(staff)
    assert "for meget hukommelse" in client.get(reverse("ingest:upload")).text


def test_the_processor_limit_stops_a_busy_child():
    result = parse_in_child(long_agenda(8000), "travl.txt", Limits(wall_seconds=60, cpu_seconds=1))
    assert result.failure is Failure.TOO_SLOW
    assert result.detail.startswith("exit -24")  # SIGXCPU, not the parent's kill
    assert result.seconds < 10


def test_the_same_file_reads_within_the_default_limits():
    result = parse_in_child(long_agenda(200), "kort.txt")
    assert result.ok and len(result.parsed["items"]) == 200
    assert result.source_text.startswith("Dagsorden")


def test_a_timeout_kills_the_childs_own_children_too():
    result = parse_in_child(
        b"x", "haenger.txt", Limits(wall_seconds=1.5), entry=f"{CHILDREN}:stubborn"
    )
    assert result.failure is Failure.TOO_SLOW
    grandchild = int(result.detail.split("grandchild=")[1].split()[0])
    deadline = time.monotonic() + 5
    while _alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(grandchild)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.parametrize(
    ("entry", "failure"),
    [("crash", Failure.CRASHED), ("chatty", Failure.OUTPUT_TOO_LARGE)],
)
def test_a_child_that_crashes_or_says_too_much_gives_a_failure(entry, failure):
    result = parse_in_child(
        b"x", "fil.txt", Limits(output_bytes=100_000), entry=f"{CHILDREN}:{entry}"
    )
    assert result.failure is failure
    assert result.parsed is None


def test_the_child_gets_no_secrets_and_no_django(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://hemmelig-3b9d@db/sek")
    monkeypatch.setenv("SEKRETARIAT_SECRET_KEY", "hemmelig-3b9d")
    env = sandbox._child_env()
    assert "hemmelig-3b9d" not in repr(env)
    root = str(Path(sandbox.__file__).resolve().parents[2])
    probe = (
        f"import sys; sys.path.insert(0, {root!r}); "
        "import sekretariat.ingest.sandbox, sekretariat.ingest.parsers, "
        "sekretariat.ingest.documents; print('django' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-I", "-c", probe], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == "False", done.stderr


# --- the same file twice -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_same_file_uploaded_twice(staff, body):
    first = receive(fixture_bytes(AGENDA), AGENDA, staff)
    other = bf.secretariat_user(body)
    # While it is being read: the same upload, now the newest uploader's; stored once.
    again = receive(fixture_bytes(AGENDA), AGENDA, other)
    assert again.pk == first.pk and ImportedFile.objects.count() == 1
    assert again.uploaded_by == other and again.source_file.name == first.source_file.name
    # Awaiting review: returned as it is, the parse kept.
    services.upload_parse(first.pk)
    parsed = ImportedFile.objects.get().parsed
    assert receive(fixture_bytes(AGENDA), AGENDA, staff).status == ImportedFile.Status.PENDING
    assert ImportedFile.objects.get().parsed == parsed


@pytest.mark.django_db
def test_a_file_that_could_not_be_read_is_read_again_when_uploaded_again(staff, settings):
    settings.SEKRETARIAT_UPLOAD_READ_MEMORY_MB = 40
    data = long_agenda(1000)
    first = receive(data, "igen.txt", staff)
    services.upload_parse(first.pk)
    assert ImportedFile.objects.get().status == ImportedFile.Status.UNREADABLE
    del settings.SEKRETARIAT_UPLOAD_READ_MEMORY_MB
    again = receive(data, "igen.txt", staff)
    assert again.pk == first.pk
    assert again.status == ImportedFile.Status.RECEIVED and again.read_error == ""
    assert default_storage.exists(again.source_file.name)
    assert services.upload_parse(again.pk).status == ImportedFile.Status.PENDING


# --- who reads: the worker, the task queue, the web process's thread ---------------------------


@pytest.mark.django_db
def test_the_worker_reads_the_uploads_that_wait(staff, settings):
    settings.SEKRETARIAT_EVENT_HANDLING = "worker"
    settings.SEKRETARIAT_EVENT_CONSUMERS = f"{__name__}.UPLOADS_ONLY"
    upload = receive(fixture_bytes(AGENDA), AGENDA, staff)
    call_command("worker", "--once")
    upload.refresh_from_db()
    assert upload.status == ImportedFile.Status.PENDING and upload.parsed["items"]
    # The consumer wants no events and never walks the log.
    assert not EventConsumerPosition.objects.filter(consumer="uploads").exists()


@pytest.mark.django_db
def test_outside_worker_mode_the_worker_takes_only_stuck_uploads(staff, settings):
    settings.SEKRETARIAT_EVENT_HANDLING = "celery"
    fresh = receive(fixture_bytes(AGENDA), AGENDA, staff)
    assert services.uploads_read_waiting() == 0  # being read where it was received
    ImportedFile.objects.filter(pk=fresh.pk).update(
        updated_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    assert services.uploads_read_waiting() == 1
    assert ImportedFile.objects.get().status == ImportedFile.Status.PENDING


@pytest.fixture
def sent_tasks(monkeypatch):
    """The task queue's messages, kept instead of sent to a broker."""
    from sekretariat.config.celery import app

    sent = []
    monkeypatch.setattr(app, "send_task", lambda name, args=(), **kw: sent.append((name, *args)))
    return sent


@pytest.mark.django_db
def test_celery_mode_sends_one_task_after_the_commit(
    staff, settings, sent_tasks, django_capture_on_commit_callbacks
):
    settings.SEKRETARIAT_EVENT_HANDLING = "celery"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        upload = receive(fixture_bytes(AGENDA), AGENDA, staff)
        assert not any(name == services.UPLOAD_PARSE_TASK for name, *_ in sent_tasks)
    for callback in callbacks:
        callback()
    assert (services.UPLOAD_PARSE_TASK, upload.pk) in sent_tasks
    # The task, as the Celery worker runs it.
    from sekretariat.ingest.tasks import upload_parse_task

    upload_parse_task(upload.pk)
    assert ImportedFile.objects.get().status == ImportedFile.Status.PENDING


@pytest.mark.django_db
def test_the_upload_page_sends_stuck_uploads_again(client, staff, settings, sent_tasks):
    settings.SEKRETARIAT_EVENT_HANDLING = "celery"
    stuck = receive(fixture_bytes(AGENDA), AGENDA, staff)
    fresh = receive(long_agenda(50), "ny.txt", staff)
    ImportedFile.objects.filter(pk=stuck.pk).update(
        updated_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    sent_tasks.clear()
    client.force_login(staff)
    assert client.get(reverse("ingest:upload")).status_code == 200
    assert sent_tasks == [(services.UPLOAD_PARSE_TASK, stuck.pk)]
    assert fresh.pk not in [args for _, *args in sent_tasks]


@pytest.mark.django_db(transaction=True)
def test_inline_mode_reads_in_a_thread_while_the_web_process_answers(client, staff, settings):
    settings.SEKRETARIAT_EVENT_HANDLING = "inline"
    client.force_login(staff)
    r = client.post(
        reverse("ingest:upload"),
        {"file": SimpleUploadedFile("traad-5c1e.txt", long_agenda(3000))},
    )
    assert r.status_code == 302
    # The response came before the reading (which takes seconds): the row still waits.
    assert _wait_for(lambda row: row is not None)[0] == ImportedFile.Status.RECEIVED
    # The background thread has begun (its child is reading); the web process answers meanwhile.
    status = _wait_for(lambda row: row is not None and row[1] is not None)[0]
    assert status == ImportedFile.Status.RECEIVED
    page = client.get(r.url)
    assert page.status_code == 200 and "Filen læses" in page.text
    _wait_for(lambda row: row is not None and row[0] != ImportedFile.Status.RECEIVED)
    upload = ImportedFile.objects.get()
    assert upload.status == ImportedFile.Status.PENDING
    assert len(upload.parsed["items"]) == 3000


def _wait_for(condition, seconds: float = 60):
    """The upload's (status, read_started_at) once `condition` holds of it. It is None while
    the test database's table is locked by the writing thread: an in-memory SQLite database
    shared between threads locks whole tables and does not wait (an installation's file does)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            row = ImportedFile.objects.values_list("status", "read_started_at").get()
        except OperationalError:
            row = None
        if condition(row) or time.monotonic() > deadline:
            return row
        time.sleep(0.05)


# --- the operator's command --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_upload_parse_command(staff, capsys):
    first = receive(fixture_bytes(AGENDA), AGENDA, staff)
    second = receive(b"%PDF-1.4\nikke en pdf 6f0a", "itu-6f0a.pdf", staff)
    call_command("upload_parse", str(first.pk))
    assert ImportedFile.objects.get(pk=first.pk).status == ImportedFile.Status.PENDING
    with pytest.raises(SystemExit):
        call_command("upload_parse", "--pending")
    out = capsys.readouterr().out
    assert "itu-6f0a.pdf: filen er beskadiget" in out
    assert ImportedFile.objects.get(pk=second.pk).status == ImportedFile.Status.UNREADABLE
    call_command("upload_parse", "--pending")
    assert "Ingen uploads venter" in capsys.readouterr().out
