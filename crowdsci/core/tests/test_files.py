"""Deleting a stored file once the change that dropped it commits."""

import logging

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from crowdsci.core.files import delete_stored_file_after_commit


@pytest.mark.django_db
def test_the_file_goes_only_when_the_transaction_commits(tmp_path, django_capture_on_commit_callbacks):
    storage = FileSystemStorage(location=tmp_path)
    name = storage.save("old.pdf", ContentFile(b"%PDF-1.4"))
    with django_capture_on_commit_callbacks() as callbacks:
        delete_stored_file_after_commit(storage, name)
    assert storage.exists(name), "nothing is deleted before the commit"
    for callback in callbacks:
        callback()
    assert not storage.exists(name)


class BrokenStorage(FileSystemStorage):
    def delete(self, name):
        raise PermissionError("read-only volume")


@pytest.mark.django_db
def test_a_storage_that_fails_is_logged_not_raised(tmp_path, caplog, django_capture_on_commit_callbacks):
    with caplog.at_level(logging.WARNING, logger="crowdsci.core.files"), \
            django_capture_on_commit_callbacks(execute=True):
        delete_stored_file_after_commit(BrokenStorage(location=tmp_path), "old.pdf")
    assert "could not delete the stored file old.pdf" in caplog.text
