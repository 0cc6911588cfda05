import pytest

from candour.notifications import services
from candour.notifications.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client, django_user_model):
    user = django_user_model.objects.create_superuser(username="admin", password="a-long-test-password-123")
    client.force_login(user)
    return client


def test_the_outbox_is_read_only_in_the_admin(admin_client_):
    message = services.queue_email(
        to="sian@example.com",
        template="generic",
        context={"subject": "Hello", "paragraphs": ["Text"]},
        idempotency_key="admin-test",
    )

    listing = admin_client_.get("/admin/notifications/message/")
    assert listing.status_code == 200
    assert "generic" in listing.content.decode()
    detail = admin_client_.get(f"/admin/notifications/message/{message.pk}/change/")
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    assert admin_client_.get("/admin/notifications/message/add/").status_code == 403
    assert admin_client_.post(f"/admin/notifications/message/{message.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Message.objects.filter(pk=message.pk).exists()
