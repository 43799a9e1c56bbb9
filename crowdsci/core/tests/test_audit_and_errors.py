import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from crowdsci.core.audit import audit_record
from crowdsci.core.errors import ServiceBusy, ServiceError, full_clean_or_raise
from crowdsci.core.models import AuditEntry


class ExampleError(ServiceError):
    pass


@pytest.mark.django_db
def test_audit_record_names_the_object_the_actor_and_the_reason():
    user = get_user_model().objects.create_user(username="auditor")
    entry = audit_record(actor=user, action="user.touch", obj=user, reason="because", detail={"n": 1})
    entry.refresh_from_db()
    assert (entry.actor, entry.action, entry.object_type) == (user, "user.touch", "auth.user")
    assert entry.object_id == str(user.pk)
    assert entry.reason == "because" and entry.detail == {"n": 1}


@pytest.mark.django_db
def test_an_anonymous_actor_is_recorded_as_the_system_and_a_class_needs_an_object_id():
    user = get_user_model().objects.create_user(username="someone")
    assert audit_record(actor=AnonymousUser(), action="x.y", obj=user).actor is None
    entry = audit_record(actor=None, action="user.import", obj=get_user_model(), object_id="import")
    assert (entry.object_type, entry.object_id) == ("auth.user", "import")
    with pytest.raises(ValueError, match="object_id"):
        audit_record(actor=None, action="user.import", obj=get_user_model())
    assert AuditEntry.objects.count() == 2


@pytest.mark.django_db
def test_full_clean_or_raise_gives_one_line_and_the_plain_message_for_a_named_field():
    user = get_user_model()(username="", password="x")
    with pytest.raises(ExampleError) as caught:
        full_clean_or_raise(user, ExampleError)
    assert caught.value.message.startswith("Username:"), "the field's verbose name, not its attribute name"
    with pytest.raises(ExampleError, match=r"Pick a name\."):
        full_clean_or_raise(user, ExampleError, messages={"username": "Pick a name."})


@pytest.mark.django_db
def test_a_constraint_error_reads_without_the_all_prefix():
    from django.contrib.auth.models import Permission

    existing = Permission.objects.first()
    duplicate = Permission(name="again", content_type=existing.content_type, codename=existing.codename)
    with pytest.raises(ExampleError) as caught:
        full_clean_or_raise(duplicate, ExampleError)  # unique_together: an error of the whole object
    assert caught.value.message == "Permission with this Content type and Codename already exists."


def test_service_errors_carry_their_message_and_busy_has_a_default():
    assert str(ExampleError("No.")) == "No." and ExampleError("No.").message == "No."
    assert "try again" in ServiceBusy().message
