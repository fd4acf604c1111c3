"""The production configuration of the README passes `check --deploy`; without keys it does not;
every response carries the security headers, and HTTPS settings follow SEKRETARIAT_TLS."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

BIN = Path(sys.executable).parent


def _check_deploy(tmp_path: Path, **env) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SEKRETARIAT_")
        and k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")  # set by the browser tests
    }
    base |= {"SEKRETARIAT_DATA_DIR": str(tmp_path / "data"), **env}
    return subprocess.run(
        [BIN / "sekretariat", "check", "--deploy", "--fail-level", "WARNING"],
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_documented_production_configuration_passes_check_deploy(tmp_path):
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "secret").write_text("s" + "Kq8#vT2!pLm9@xR4$wZ6^nB1&cY7*hJ3(dF5)gH0" * 2)
    (secrets / "pseudonym").write_text("p-7Rt2Lq9Xw4Zn6Bc1Yh3Jd5Fg0Hk8Mv2Ns4Pa6Qe")
    result = _check_deploy(
        tmp_path,
        SEKRETARIAT_SECRET_KEY_FILE=str(secrets / "secret"),
        SEKRETARIAT_PSEUDONYM_KEY_FILE=str(secrets / "pseudonym"),
        SEKRETARIAT_ALLOWED_HOSTS="moeder.example.dk",
        SEKRETARIAT_TLS="1",
        SEKRETARIAT_BEHIND_PROXY="1",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_without_keys_and_tls_check_deploy_names_each_problem(tmp_path):
    result = _check_deploy(tmp_path, SEKRETARIAT_ALLOWED_HOSTS="moeder.example.dk")
    assert result.returncode != 0
    out = result.stdout + result.stderr
    assert "sekretariat.E001" in out and "sekretariat.E101" in out
    assert "security.W012" in out  # session cookie not secure without TLS


def test_keys_create_writes_private_files_once(tmp_path):
    env = {**os.environ, "SEKRETARIAT_DATA_DIR": str(tmp_path)}
    env.pop("SEKRETARIAT_SECRET_KEY", None)
    run = [BIN / "sekretariat", "keys", "--create"]
    subprocess.run(run, env=env, check=True, capture_output=True, timeout=60)
    secret, pseudonym = tmp_path / "secret.key", tmp_path / "pseudonym.key"
    first = (secret.read_text(), pseudonym.read_text())
    assert len(first[0].strip()) >= 50 and first[0] != first[1]
    assert secret.stat().st_mode & 0o077 == 0 and pseudonym.stat().st_mode & 0o077 == 0
    subprocess.run(run, env=env, check=True, capture_output=True, timeout=60)
    assert (secret.read_text(), pseudonym.read_text()) == first  # never overwritten


@pytest.mark.django_db
def test_every_page_carries_a_content_security_policy():
    r = Client().get("/")
    policy = r["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy and "form-action 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    assert r["X-Frame-Options"] == "DENY" and r["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_with_tls_cookies_are_secure_and_hsts_is_sent(settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    r = client.get("/log-ind/")
    assert r.status_code == 301 and r["Location"].startswith("https://")
    r = client.get("/log-ind/", secure=True)
    assert "max-age=31536000; includeSubDomains" in r["Strict-Transport-Security"]
    assert r.cookies["csrftoken"]["secure"]
