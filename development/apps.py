from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    """What a developer runs beside the shop: `seed_demo` (every app's demo data, and the
    shop's information pages), `signalmap` (who listens to whom), and the console mailer that
    prints mail for a person to read in development."""

    name = "development"
