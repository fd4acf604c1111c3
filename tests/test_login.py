"""Logging in: wrong passwords in a row pause the user name's logins, with a Danish page."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return get_user_model().objects.create_user("kasper-5f5f", password="rigtig-5f5f-kode")


def _login(client, password):
    return client.post("/log-ind/", {"username": "kasper-5f5f", "password": password})


def test_five_wrong_passwords_pause_the_login_even_for_the_right_one(client, user):
    for _ in range(4):
        assert _login(client, "forkert").status_code == 200  # the form again, with its error
    locked = _login(client, "forkert")
    assert locked.status_code == 429
    assert "For mange mislykkede log ind" in locked.text
    assert "15 minutter" in locked.text
    # The right password does not get through while the pause lasts.
    again = _login(client, "rigtig-5f5f-kode")
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_good_login_resets_the_count(client, user):
    for _ in range(4):
        _login(client, "forkert")
    assert _login(client, "rigtig-5f5f-kode").status_code == 302
    client.logout()
    for _ in range(4):
        assert _login(client, "forkert").status_code == 200
