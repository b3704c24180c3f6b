from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The back office: the admin's first page, which tells staff what to do today and how
    the shop is doing, and the reports they take away (orders as CSV, packing slips).

    An app of its own because it belongs to no one app: it reads checkout's orders, the
    catalog's stock, the alerts' subscriptions and the outbox's failed mail, and changes them
    only through their services (a restock, a re-send), as the admin does. It defines no
    models and sends no signals; no app imports it.
    """

    name = "dashboard"
    verbose_name = "Dashboard"
