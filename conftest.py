"""Shared pytest settings: the data dir of a test run lives in a temporary folder."""

import os
import tempfile

os.environ.setdefault("SEKRETARIAT_DATA_DIR", tempfile.mkdtemp(prefix="sekretariat-test-"))

import pytest  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

# CI runs the property tests with a fixed seed so that a run is reproducible; locally they
# explore new examples each time (and keep failures in .hypothesis/).
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "da"
    # The CPR pseudonyms' key of a test run (an installation's own key; never SECRET_KEY).
    settings.PSEUDONYM_KEY = "test-run-pseudonym-key-0b5e-not-for-production-use"
