"""CPR pseudonyms: a slow keyed hash under the installation's own key, checked by python-stdnum,
refused without a key, and reported by `check --deploy` and `serve` when the key is missing."""

import hashlib
import hmac

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sekretariat.core.errors import ApplicationError
from sekretariat.settlements import checks, pseudonyms

CPR = "0703814417"


def test_same_number_same_key_other_key_other_pseudonym(settings):
    key = pseudonyms.patient_key("070381-4417")
    assert key == pseudonyms.patient_key(CPR) == pseudonyms.patient_key("070381 4417")
    assert len(key) == 64 and CPR not in key
    first_id = pseudonyms.key_id()
    settings.PSEUDONYM_KEY = "another-installation-pseudonym-key-7f3a-7f3a-7f3a"
    assert pseudonyms.patient_key(CPR) != key
    assert pseudonyms.key_id() != first_id


def test_the_pseudonym_is_not_a_fast_hash_of_the_signing_key(settings):
    """The old pseudonym (HMAC-SHA256 under SECRET_KEY) was reversed by trying every CPR."""
    old = hmac.new(settings.SECRET_KEY.encode(), CPR.encode(), hashlib.sha256).hexdigest()
    fast = hmac.new(settings.PSEUDONYM_KEY.encode(), CPR.encode(), hashlib.sha256).hexdigest()
    assert pseudonyms.patient_key(CPR) not in (old, fast)


@pytest.mark.parametrize(
    "number",
    ["07038144", "073181-4417", "0703814417x", "3102851234", "abcdefghij", "010199-99999"],
)
def test_invalid_numbers_are_refused_without_echo(number):
    with pytest.raises(ApplicationError) as exc:
        pseudonyms.patient_key(number)
    assert exc.value.field == "cpr" and number not in exc.value.message
    assert "CPR" in exc.value.message


def test_a_birth_date_in_the_future_is_refused():
    with pytest.raises(ApplicationError):
        pseudonyms.patient_key("311250-5999")  # serial 5xxx with year 50: born 2050


@pytest.mark.parametrize(
    "key, problem",
    [
        (None, "No pseudonymisation key"),
        ("", "No pseudonymisation key"),
        ("short-key-7f3a", "shorter than"),
        ("SAME", "same as SECRET_KEY"),
    ],
)
def test_without_a_proper_key_no_number_is_hashed_and_the_deploy_check_says_why(
    settings, key, problem
):
    settings.PSEUDONYM_KEY = settings.SECRET_KEY if key == "SAME" else key
    assert problem in pseudonyms.key_problem()
    with pytest.raises(ApplicationError) as exc:
        pseudonyms.patient_key(CPR)
    assert "nøgle" in exc.value.message
    [error] = checks.check_pseudonym_key()
    assert error.id == "sekretariat.E101"


def test_serve_refuses_to_start_outside_debug_without_keys(settings):
    settings.DEBUG = False
    settings.PSEUDONYM_KEY = None
    settings.SECRET_KEY = settings.DEVELOPMENT_SECRET_KEY
    with pytest.raises(CommandError) as exc:
        call_command("serve", "--port", "1")
    text = str(exc.value)
    assert "SECRET_KEY is the development key" in text
    assert "No pseudonymisation key" in text and "sekretariat keys --create" in text
