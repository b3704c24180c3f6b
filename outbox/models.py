from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone


def render_bodies(template: str, context: dict) -> tuple[str, str]:
    """`{template}.txt` and `{template}.html` rendered with `context`; every mail's templates
    also see `shop_name`, so a sign-off follows settings.SHOP_NAME without each sender passing it.
    """
    context = {"shop_name": settings.SHOP_NAME, **context}
    return (
        render_to_string(f"{template}.txt", context),
        render_to_string(f"{template}.html", context),
    )


class OutboundEmailQuerySet(models.QuerySet["OutboundEmail"]):
    def unfinished(self):
        """Mail still on its way: waiting for an attempt, or in the middle of one."""
        return self.filter(status__in=[OutboundEmail.Status.PENDING, OutboundEmail.Status.SENDING])

    def due(self, now: datetime | None = None):
        """Mail a delivery task may claim now.

        A pending mail is due when its next attempt time has come. A sending mail is due only
        when its claim has expired: the worker that claimed it stopped without finishing.
        """
        return self.unfinished().filter(next_attempt_at__lte=now or timezone.now())


class OutboundEmail(models.Model):
    """One e-mail the shop owes someone: the durable record behind every notification.

    It is written in the same transaction as the change that causes it (a comment, an order),
    so the two commit or roll back together; `outbox.tasks.deliver_email` sends it later.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    key = models.CharField(
        max_length=200, unique=True, help_text="Names the event that causes the mail; one each."
    )
    to = models.EmailField("recipient")
    # Empty: DEFAULT_FROM_EMAIL, the shop's own address. Error reports to ADMINS come from
    # SERVER_EMAIL instead, as Django sends them (operations.errormail).
    from_email = models.CharField("sender", max_length=254, blank=True, editable=False)
    subject = models.CharField(max_length=255)
    text_body = models.TextField()
    html_body = models.TextField()
    # Mail that carries a credential (a password-reset link) is queued with `template` and a
    # `context` of plain ids, and rendered only when it is sent (`to_message`): the bodies
    # above then hold a notice, and the link exists nowhere staff can read.
    template = models.CharField(max_length=200, blank=True, editable=False)
    context = models.JSONField(default=dict, blank=True, editable=False)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(
        default=timezone.now,
        help_text="Pending: the earliest next attempt. Sending: when the claim expires.",
    )
    last_error = models.TextField(blank=True)
    # Set by each claim: only the attempt holding this token may record the outcome.
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The delivery task most recently queued for this mail, so recovery can tell a mail whose
    # task still waits in the queue from one whose task was lost.
    task_id = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OutboundEmailQuerySet.as_manager()

    class Meta:
        verbose_name = "outbound e-mail"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbound_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False) | ~Q(status="sent"),
                name="outbound_sent_has_time",
            ),
            models.CheckConstraint(
                condition=Q(status="sending", claim_token__isnull=False) | ~Q(status="sending"),
                name="outbound_sending_has_claim",
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {self.to}"

    @property
    def message_id(self) -> str:
        # The same Message-ID on every attempt lets mail servers and clients recognise a repeat
        # if an attempt was cut short after the server had already accepted the message.
        domain = urlsplit(settings.SITE_URL).hostname or "localhost"
        return f"<outbound-{self.pk}.{self.created_at:%Y%m%d%H%M%S}@{domain}>"

    def to_message(self) -> EmailMultiAlternatives:
        """The multipart (text and HTML) message this record describes.

        Mail queued with `render_at_delivery` is rendered here, on each attempt, from its
        template and context.
        """
        text_body, html_body = self.text_body, self.html_body
        if self.template:
            text_body, html_body = render_bodies(self.template, self.context)
        message = EmailMultiAlternatives(
            subject=self.subject,
            body=text_body,
            from_email=self.from_email or settings.DEFAULT_FROM_EMAIL,
            to=[self.to],
            headers={"Message-ID": self.message_id},
        )
        message.attach_alternative(html_body, "text/html")
        return message
