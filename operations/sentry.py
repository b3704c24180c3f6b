"""Sentry, when settings.SENTRY_DSN is set: started once the apps are loaded (operations'
`ready()`), with Django's integration, every event tagged with its request's id."""

from django.conf import settings


def start() -> None:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    from .requestlog import tag_sentry_event

    sentry_sdk.init(
        dsn=settings.SENTRY_DSN,
        integrations=[DjangoIntegration()],
        send_default_pii=settings.SENTRY_SEND_DEFAULT_PII,
        environment=settings.SENTRY_ENVIRONMENT,
        traces_sample_rate=settings.SENTRY_TRACES_SAMPLE_RATE,
        before_send=tag_sentry_event,
    )
