import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from outbox.models import OutboundEmail

from .factories import OutboundEmailFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def staff(client):
    admin = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(admin)
    return admin


def test_staff_find_failed_mail_by_status(client, staff):
    OutboundEmailFactory(failed=True, subject="Order 7 confirmed")
    OutboundEmailFactory(sent=True, subject="Order 8 confirmed")

    changelist = reverse("admin:outbox_outboundemail_changelist")

    response = client.get(changelist, {"status__exact": "failed"})

    html = response.content.decode()
    assert "Order 7 confirmed" in html
    assert "Order 8 confirmed" not in html


def test_a_failed_mail_shows_why(client, staff):
    email = OutboundEmailFactory(failed=True, last_error="Attempt 6: ConnectionRefusedError")

    response = client.get(reverse("admin:outbox_outboundemail_change", args=[email.pk]))

    assert response.status_code == 200
    assert "Attempt 6: ConnectionRefusedError" in response.content.decode()


def test_re_send_selected_queues_failed_mail_again_and_leaves_sent_mail_alone(client, staff):
    failed = OutboundEmailFactory(failed=True)
    sent = OutboundEmailFactory(sent=True)

    response = client.post(
        reverse("admin:outbox_outboundemail_changelist"),
        {"action": "resend", "_selected_action": [failed.pk, sent.pk]},
        follow=True,
    )

    assert "1 e-mail queued to be sent again. 1 already sent or being sent were left alone." in (
        response.content.decode()
    )
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (OutboundEmail.Status.PENDING, 0)
    [task] = DBTaskResult.objects.all()
    assert task.args_kwargs["args"] == [failed.pk]


def test_nobody_types_mail_into_the_outbox(client, staff):
    assert client.get(reverse("admin:outbox_outboundemail_add")).status_code == 403
