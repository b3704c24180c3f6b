"""The hosted payment page a Checkout Session's `url` leads to: plain HTML forms, no JavaScript.

`/c/pay/<session>` shows the shop's line items and total, takes a test card number, and either
sends the shopper back to the shop's success_url (303), shows why the card was declined (422,
the session stays open for another card), or leads to the 3-D Secure challenge at
`/c/pay/<session>/authenticate`. "Back to the shop" is a link to the cancel_url.
"""

import re
from html import escape
from urllib.parse import parse_qs

from stripe_sandbox.cards import TEST_CARDS, InvalidCardNumber, spaced
from stripe_sandbox.state import ApiError, PaymentIntent, Sandbox, Session, money

PAY = re.compile(r"/c/pay/(?P<id>[A-Za-z0-9_]+)")
AUTHENTICATE = re.compile(r"/c/pay/(?P<id>[A-Za-z0-9_]+)/authenticate")

STYLE = b"""\
body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1a1a1a; background: #f6f8fa; }
main { max-width: 32rem; margin: 1.5rem auto; padding: 1.5rem; background: #fff;
       border: 1px solid #d0d7de; border-radius: 0.5rem; }
.test-mode { margin: 0; padding: 0.5rem 1rem; background: #ffe08a; text-align: center; }
table { width: 100%; border-collapse: collapse; margin-bottom: 1rem; }
caption { text-align: left; font-weight: 600; }
th, td { padding: 0.25rem 0; text-align: left; }
td.amount, th.amount { text-align: right; }
tfoot th, tfoot td { border-top: 1px solid #d0d7de; font-weight: 600; }
label { display: block; font-weight: 600; }
input { font: inherit; width: 100%; box-sizing: border-box; padding: 0.5rem;
        margin: 0.25rem 0 1rem; }
button { font: inherit; padding: 0.5rem 1.25rem; margin: 0 0.5rem 0.5rem 0; }
.error { color: #a40e26; font-weight: 600; }
"""


class Page:
    """An HTML answer: status, and the page or the place to go."""

    def __init__(self, status: int, html: str = "", location: str | None = None):
        self.status, self.html, self.location = status, html, location

    @classmethod
    def redirect(cls, location: str) -> "Page":
        return cls(303, location=location)


def answer(sandbox: Sandbox, method: str, path: str, body: bytes) -> Page:
    """The page for `path`, or what a form posted to it does."""
    form = {name: values[0] for name, values in parse_qs(body.decode()).items()}
    with sandbox.lock:  # the state read and the shopper's move are one step
        if match := AUTHENTICATE.fullmatch(path):
            session = _session(sandbox, match["id"])
            if session is None or session.status != "open":
                return _closed(session)
            intent = sandbox.intents.get(session.payment_intent or "")
            if intent is None or intent.status != "requires_action":
                return Page.redirect(f"/c/pay/{session.id}")  # nothing to authenticate
            if method == "POST":
                intent = sandbox.authenticate(intent, passed=form.get("outcome") == "complete")
                return _after_attempt(session, intent)
            return Page(200, _challenge(session))
        if match := PAY.fullmatch(path):
            session = _session(sandbox, match["id"])
            if session is None or session.status != "open":
                return _closed(session)
            if method == "POST":
                try:
                    intent = sandbox.pay(session, form.get("card_number", ""))
                except InvalidCardNumber as refusal:
                    return Page(422, _payment_form(session, error=str(refusal)))
                return _after_attempt(session, intent)
            return Page(200, _payment_form(session))
    return Page(404, _layout("Not found", "<h1>There is no such page</h1>"))


def outage() -> Page:
    return Page(
        503,
        _layout(
            "Unavailable", "<h1>Payments are unavailable</h1><p>Please try again in a moment.</p>"
        ),
    )


def _session(sandbox: Sandbox, session_id: str) -> Session | None:
    try:
        return sandbox.session(session_id)
    except ApiError:
        return None


def _after_attempt(session: Session, intent: PaymentIntent) -> Page:
    if session.status == "complete":
        return Page.redirect(session.success_location)
    if intent.status == "requires_action":
        return Page.redirect(f"/c/pay/{session.id}/authenticate")
    return Page(422, _payment_form(session, error=intent.last_payment_error["message"]))


def _layout(title: str, content: str) -> str:
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} · Stripe sandbox</title>
<link rel="stylesheet" href="/c/style.css">
</head>
<body>
<p class="test-mode" role="note"><strong>Test mode — no money moves</strong></p>
<main>
{content}
</main>
</body>
</html>
"""


def _payment_form(session: Session, error: str | None = None) -> str:
    total = money(session.amount_total, session.currency)
    rows = "\n".join(
        f"<tr><td>{escape(item.name)}</td><td>{item.quantity}</td>"
        f'<td class="amount">{money(item.amount, item.currency)}</td></tr>'
        for item in session.line_items
    )
    payer = f"<p>Paying as {escape(session.customer_email)}</p>" if session.customer_email else ""
    alert = f'<p class="error" role="alert" id="card-error">{escape(error)}</p>' if error else ""
    described = ' aria-describedby="card-error" aria-invalid="true"' if error else ""
    back = _back_link(session.cancel_url)
    cards = "\n".join(
        f"<li><code>{spaced(card.number)}</code>: {escape(card.label)}</li>"
        for card in TEST_CARDS.values()
    )
    return _layout(
        "Pay",
        f"""<h1>Pay {total}</h1>
{payer}
<table>
<caption>Your order</caption>
<thead><tr><th scope="col">Item</th><th scope="col">Quantity</th>
<th scope="col" class="amount">Amount</th></tr></thead>
<tbody>
{rows}
</tbody>
<tfoot><tr><th scope="row" colspan="2">Total</th><td class="amount">{total}</td></tr></tfoot>
</table>
{alert}
<form method="post" action="/c/pay/{session.id}">
<label for="card-number">Card number</label>
<input id="card-number" name="card_number" inputmode="numeric" autocomplete="cc-number"
 required{described}>
<button type="submit">Pay {total}</button>
</form>
{back}
<details>
<summary>Test cards</summary>
<ul>
{cards}
</ul>
<p>Any other valid number is declined, as in Stripe's test mode.</p>
</details>""",
    )


def _challenge(session: Session) -> str:
    total = money(session.amount_total, session.currency)
    return _layout(
        "Authenticate",
        f"""<h1>Confirm this payment</h1>
<p>Your bank asks you to confirm the payment of {total} (3-D Secure).</p>
<form method="post" action="/c/pay/{session.id}/authenticate">
<button type="submit" name="outcome" value="complete">Complete authentication</button>
<button type="submit" name="outcome" value="fail">Fail authentication</button>
</form>""",
    )


def _closed(session: Session | None) -> Page:
    if session is None:
        return Page(404, _layout("Not found", "<h1>There is no such checkout session</h1>"))
    if session.status == "complete":
        return Page(
            200,
            _layout(
                "Paid", "<h1>This payment is complete</h1>" + _back_link(session.success_location)
            ),
        )
    return Page(
        200,
        _layout(
            "Expired", "<h1>This checkout session has expired</h1>" + _back_link(session.cancel_url)
        ),
    )


def _back_link(url: str | None) -> str:
    return f'<p><a href="{escape(url)}">Back to the shop</a></p>' if url else ""
