import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from sekretariat.bodies.selectors import viewer_for

from . import factories as bf

pytestmark = pytest.mark.django_db


def test_public_viewer_sees_nothing_closed():
    body = bf.body()
    v = viewer_for(AnonymousUser())
    assert not v.can_see_closed(body.pk) and not v.can_edit(body.pk)


def test_member_sees_closed_material_of_own_body_only_while_member():
    body, other = bf.body(), bf.body()
    u = bf.member_user(body, start=datetime.date(2025, 1, 1), end=datetime.date(2026, 12, 31))
    during = viewer_for(u, on=datetime.date(2026, 6, 1))
    assert during.can_see_closed(body.pk)
    assert not during.can_edit(body.pk)
    assert not during.can_see_closed(other.pk)
    after = viewer_for(u, on=datetime.date(2027, 1, 1))
    assert not after.can_see_closed(body.pk)
    before = viewer_for(u, on=datetime.date(2024, 12, 31))
    assert not before.can_see_closed(body.pk)


def test_secretariat_edits_the_bodies_it_serves():
    body = bf.body()
    sibling = bf.body(secretariat_obj=body.secretariat)
    stranger = bf.body()
    v = viewer_for(bf.secretariat_user(body))
    assert v.can_edit(body.pk) and v.can_edit(sibling.pk)
    assert not v.can_edit(stranger.pk) and not v.can_see_closed(stranger.pk)


def test_administrator_edits_everything():
    body = bf.body()
    v = viewer_for(bf.admin_user())
    assert v.can_edit(body.pk) and v.can_see_closed(body.pk)
