"""What the alerts app does when the catalog announces a change of stock, or checkout a step
of an order: it tells whoever should know, by e-mail through the outbox."""

from . import services

# The mail each state a payment's move leads to is told by.
PAYMENT_MAILS = {
    "captured": "captured",
    "failed": "failed",
    "partially_refunded": "refunded",
    "refunded": "refunded",
}


def notify_subscribers(sender, product, **kwargs):
    """back_in_stock: queue one e-mail per waiting subscriber and mark them answered.

    Inside the restocking transaction: the mails commit with the stock, or not at all.
    """
    services.notify_subscribers(product=product)


def alert_staff_low_stock(sender, product, quantity, **kwargs):
    """stock_low: record the alert and queue one e-mail to the shop's staff address."""
    services.alert_staff(product=product, quantity=quantity)


def mail_customer(sender, order, **kwargs):
    """Every move of an order that alerts has a mail for (order_confirmed, order_shipped,
    order_delivered, order_cancelled): mail the customer.

    Inside the order's transaction: if the change rolls back (a confirmation refused for want
    of stock), so does the mail. Which mail comes from the state the move has just put the
    order in ("confirmed": `alerts/email/order_confirmed`).
    """
    services.mail_customer(order=order, event=order.status)


def mail_bank_details(sender, payment, **kwargs):
    """payment_started: a customer chose to pay by bank transfer; mail them where to send the
    money and the reference to give it. (A card's page needs no mail.)"""
    if payment.method == "bank_transfer":
        services.mail_payment(payment=payment, event="started")


def mail_payment(sender, payment, entry, **kwargs):
    """payment_captured, payment_failed, payment_refunded: tell the customer what became of
    their money, inside the payment's transaction (the mail commits with the move). Which mail
    comes from the state the move has just put the payment in."""
    services.mail_payment(payment=payment, event=PAYMENT_MAILS[payment.status], entry=entry)
