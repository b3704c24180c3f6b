from django.apps import AppConfig


class RatelimitsConfig(AppConfig):
    """Abuse limits: counters in the database (`models.RateCounter`) and the `RateLimit` every
    app counts through (`services`). An app of its own because it has a model: the project
    package holds no models."""

    name = "ratelimits"
    verbose_name = "Rate limits"
