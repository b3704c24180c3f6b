"""What the alerts app does when the catalog announces a change of stock."""

from . import services


def notify_subscribers(sender, product, **kwargs):
    """back_in_stock: queue one e-mail per waiting subscriber and mark them answered.

    Inside the restocking transaction: the mails commit with the stock, or not at all.
    """
    services.notify_subscribers(product=product)


def alert_staff_low_stock(sender, product, quantity, **kwargs):
    """stock_low: record the alert and queue one e-mail to the shop's staff address."""
    services.alert_staff(product=product, quantity=quantity)
