"""Helpers for the importer's tests: our own Danish fixtures, and a body that they name."""

from __future__ import annotations

from pathlib import Path

import pytest

from sekretariat.bodies.tests import factories as bf

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BODY_NAME = "Styregruppen for Fælles Hjemmepleje"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture
def body(db):
    """The body our fixtures name, served by a secretariat."""
    return bf.body(BODY_NAME, slug="faelles-hjemmepleje")
