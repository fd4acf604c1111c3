"""A change made in one process is found by search in another within five seconds, with each of
the three places that can handle the events doing it: the web process itself (inline), the
`sekretariat worker`, and a Celery worker on a real Redis broker.

Every process here is a real one, on an installation of its own (a SQLite file, or a PostgreSQL
database of its own when the suite runs on PostgreSQL). The searching process is started before
the change, so its start-up is not counted.
"""

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# A bound on "the change reaches the search at all", not a speed target (tests check
# correctness; bench/ measures speed): generous, so a loaded 2-core machine passes.
WITHIN_SECONDS = 20.0
REDIS_URL = os.environ.get("SEKRETARIAT_TEST_REDIS", "redis://127.0.0.1:6379/11")


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


@pytest.fixture
def installation(tmp_path):
    """The environment of a fresh, migrated installation with one published agenda."""
    env = {**os.environ, "SEKRETARIAT_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    env.pop("SEKRETARIAT_EVENT_HANDLING", None)
    server_url = _postgres_url()
    database = None
    if server_url:
        import psycopg

        database = f"sek_events_{uuid.uuid4().hex[:10]}"
        parts = urllib.parse.urlsplit(server_url)
        admin = parts._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{database}"')
        env["DATABASE_URL"] = parts._replace(path=f"/{database}").geturl()
    else:
        env.pop("DATABASE_URL", None)
    _run(env, BIN / "sekretariat", "migrate", "--noinput", "-v0")
    facts = _script(env, "setup")
    try:
        yield env, facts
    finally:
        if database:
            import psycopg

            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _run(env, *args) -> str:
    done = subprocess.run(
        [str(a) for a in args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _script(env, *args) -> dict:
    out = _run(env, sys.executable, "-m", "tests.processes.installation", *args)
    return json.loads(out.strip().splitlines()[-1])


@contextmanager
def _process(env, *args, ready: str | None = None, timeout: float = 60):
    """A background process; with `ready`, wait until its output has a line matching it."""
    proc = subprocess.Popen(
        [str(a) for a in args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    try:
        if ready:
            deadline = time.time() + timeout
            while time.time() < deadline:
                line = proc.stdout.readline()
                if not line and proc.poll() is not None:
                    break
                lines.append(line)
                if re.search(ready, line):
                    break
            else:
                pytest.fail("process did not get ready:\n" + "".join(lines[-40:]))
            assert proc.poll() is None, "process ended:\n" + "".join(lines[-40:])
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextmanager
def _searcher(env, word: str, seconds: float):
    """A process that searches for `word` until found; yields a function giving when."""
    with _process(
        env, sys.executable, "-m", "tests.processes.installation", "wait", word, seconds,
        ready=r'"ready"',
    ) as proc:  # fmt: skip

        def found_at() -> float | None:
            out, _ = proc.communicate(timeout=seconds + 30)
            return json.loads(out.strip().splitlines()[-1])["found_at"]

        yield found_at


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the web process ---------------------------------------------------------------------------


def _browser_session(base: str):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def post(path: str, fields: dict) -> str:
        page = opener.open(base + path if path.startswith("/log-ind") else base + "/").read()
        token = next(c.value for c in jar if c.name == "csrftoken") if jar else None
        if token is None:
            match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
            token = match.group(1).decode()
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(base + path, data=data, headers={"Referer": base + "/"})
        return opener.open(request).read().decode()

    return post


def test_the_web_process_handles_its_own_change(installation):
    env, facts = installation
    env = {**env, "SEKRETARIAT_EVENT_HANDLING": "inline", "SEKRETARIAT_DEBUG": "1"}
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with (
        _process(
            env,
            BIN / "sekretariat",
            "serve",
            "--port",
            port,
            "--workers",
            2,
            ready=r"Booting worker|Sekretariat kører",
        ),  # fmt: skip
        _searcher(env, "kystsikringsstrategi", 60) as found_at,
    ):
        _wait_for_http(base)
        post = _browser_session(base)
        post("/log-ind/", {"username": facts["username"], "password": facts["password"]})
        html = post(
            f"/sekretariat/moeder/{facts['meeting']}/punkter/nyt/",
            {"title": "Kystsikringsstrategi for kommunerne", "kind": "", "access": "aaben"},
        )
        committed = time.time()
        assert "Kystsikringsstrategi for kommunerne" in html
        found = found_at()
    assert found is not None and found - committed < WITHIN_SECONDS


def _wait_for_http(base: str) -> None:
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(base + "/", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail("the server did not answer")


# --- sekretariat worker ------------------------------------------------------------------------


def test_the_worker_handles_a_change_made_elsewhere(installation):
    env, _facts = installation
    env = {**env, "SEKRETARIAT_EVENT_HANDLING": "worker"}
    # With no worker running, nothing handles the change: it waits in the log.
    with _searcher(env, "havnebad", 1.5) as found_at:
        _script(env, "add", "Havnebad ved lystbådehavnen")
        assert found_at() is None
    with (
        _process(env, BIN / "sekretariat", "worker", "--interval", "0.2") as worker,
        _searcher(env, "skybrudsplan", 30) as found_at,
    ):
        committed = _script(env, "add", "Skybrudsplan for bymidten")["committed_at"]
        found = found_at()
        assert worker.poll() is None
    assert found is not None and found - committed < WITHIN_SECONDS
    # The change made while no worker ran was caught up as well.
    with _searcher(env, "havnebad", 1) as found_at:
        assert found_at() is not None


# --- the task queue ----------------------------------------------------------------------------


def _redis_or_skip():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("SEKRETARIAT_REQUIRE_REDIS"):  # set by .ci/run, which starts Redis
            pytest.fail(f"no Redis at {REDIS_URL}, which .ci/run should have started")
        pytest.skip(f"no Redis at {REDIS_URL}")
    client.flushdb()
    return client


def test_the_task_queue_handles_a_change_made_elsewhere(installation, tmp_path):
    _redis_or_skip()
    env, _facts = installation
    env = {**env, "SEKRETARIAT_EVENT_HANDLING": "celery", "SEKRETARIAT_BROKER_URL": REDIS_URL}
    # Sent to the queue, but with no Celery worker nothing handles it yet.
    with _searcher(env, "cykelsuperstier", 1.5) as found_at:
        _script(env, "add", "Cykelsuperstier mellem kommunerne")
        assert found_at() is None
    celery = [
        BIN / "celery", "-A", "sekretariat.config.celery", "worker", "--beat",
        "--pool", "solo", "--loglevel", "INFO", "--schedule", tmp_path / "beat-schedule",
    ]  # fmt: skip
    with (
        _process(env, *celery, ready=r"ready\.") as worker,
        _searcher(env, "grundvandsbeskyttelse", 30) as found_at,
    ):
        committed = _script(env, "add", "Grundvandsbeskyttelse i oplandet")["committed_at"]
        found = found_at()
        assert worker.poll() is None
    assert found is not None and found - committed < WITHIN_SECONDS
    with _searcher(env, "cykelsuperstier", 1) as found_at:
        assert found_at() is not None
