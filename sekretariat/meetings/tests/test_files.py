"""Attachments in the content-addressed store: shared files, let go only when no row names them."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from sekretariat.core import files
from sekretariat.meetings import services

from . import factories as f

pytestmark = pytest.mark.django_db


def add(item, content=b"samme indhold 9c9c", name="notat.txt"):
    return services.attachment_add(item=item, file=ContentFile(content, name=name))


def test_the_same_file_on_two_items_is_stored_once():
    first, second = add(f.item()), add(f.item())
    assert first.file.name == second.file.name
    assert first.file.name == files.content_path(first.sha256, "notat.txt")


def test_a_file_stays_while_another_attachment_names_it(django_capture_on_commit_callbacks):
    first, second = add(f.item()), add(f.item())
    name = first.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_delete(attachment=first)
    assert default_storage.exists(name)
    assert files.file_referenced(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_delete(attachment=second)
    assert not default_storage.exists(name)
    assert not files.file_referenced(name)


def test_a_removed_attachment_s_file_stays_until_the_commit():
    attachment = add(f.item())
    services.attachment_delete(attachment=attachment)  # the test's transaction never commits
    assert default_storage.exists(attachment.file.name)
    assert not files.file_referenced(attachment.file.name)
