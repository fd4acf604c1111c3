"""Shared pytest settings: the data dir of a test run lives in a temporary folder."""

import os
import tempfile

os.environ.setdefault("SEKRETARIAT_DATA_DIR", tempfile.mkdtemp(prefix="sekretariat-test-"))

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "da"
