import factory
from django.utils import timezone

from outbox.models import OutboundEmail
from outbox.services import MAX_ATTEMPTS


class OutboundEmailFactory(factory.django.DjangoModelFactory):
    """A mail already in the outbox, as queue_email leaves it (without queuing a task)."""

    class Meta:
        model = OutboundEmail

    key = factory.Sequence(lambda n: f"test-mail-{n}")
    to = factory.Sequence(lambda n: f"customer{n}@example.com")
    subject = "Your parcel is on its way"
    text_body = "Hello Ada,\n\nyour parcel is on its way."
    html_body = "<p>Hello Ada,</p><p>your parcel is on its way.</p>"

    class Params:
        sent = factory.Trait(
            status=OutboundEmail.Status.SENT, attempts=1, sent_at=factory.LazyFunction(timezone.now)
        )
        failed = factory.Trait(
            status=OutboundEmail.Status.FAILED,
            attempts=MAX_ATTEMPTS,
            last_error="ConnectionRefusedError",
        )
