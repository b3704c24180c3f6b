from django.apps import AppConfig


class MoneyConfig(AppConfig):
    """The shop's one way of writing an amount (`formatting.format_money`, the `money` template
    filter): every price, total and refund a shopper, the admin or an e-mail reads, in
    settings.CURRENCY and settings.MONEY_LOCALE."""

    name = "money"
