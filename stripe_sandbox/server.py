"""The sandbox's HTTP server: Stripe's API under /v1/, the hosted payment page under /c/, the
control API under /_sandbox/, all on one port (the stdlib's ThreadingHTTPServer).

Around every API request it does what Stripe's front door does: answer 503 during an outage,
check the secret key, replay the first answer given under an Idempotency-Key (or refuse the
key's reuse for another request), and put errors in Stripe's shape. It also runs what time
does (a sweeper expiring sessions) and the webhook deliveries.
"""

import base64
import binascii
import json
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

from stripe_sandbox import api, control, page
from stripe_sandbox.faults import Faults
from stripe_sandbox.state import API_VERSION, ApiError, Sandbox, SavedAnswer, new_id
from stripe_sandbox.webhooks import Deliveries

SWEEP_SECONDS = 0.2
# The hosted page needs its stylesheet and nothing else; its forms may lead back to any shop.
CSP = "default-src 'none'; style-src 'self'; base-uri 'none'; frame-ancestors 'none'"


@dataclass
class Answer:
    status: int
    body: bytes = b""
    headers: dict = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, content, headers: dict | None = None) -> "Answer":
        body = json.dumps(content, indent=2).encode()
        return cls(status, body, {"Content-Type": "application/json", **(headers or {})})


class SandboxServer:
    """One sandbox: its state, its fault switches, its deliveries, and the port it listens on."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        api_key: str | None = None,
        webhook: str | None = None,
        webhook_secret: str | None = None,
        retry_delays: list[float],
        delivery_timeout: float,
        seed: int | None = None,
    ):
        self.api_key = api_key
        self._host = host
        self._httpd = self._listen(port)
        self.port = self._httpd.server_address[1]
        self.url = f"http://{host}:{self.port}"
        self._webhook = webhook
        self._webhook_secret = webhook_secret or new_id("whsec_", 32)
        self._retry_delays = retry_delays
        self._delivery_timeout = delivery_timeout
        self._seed = seed
        self._stopping = threading.Event()
        self._reopen_at = 0.0
        self._begin()

    def _begin(self) -> None:
        """A sandbox holding nothing, every fault off, the configured endpoint ready."""
        self.faults = Faults()
        self.sandbox = Sandbox(page_base=self.url)
        self.deliveries = Deliveries(
            faults=self.faults,
            retry_delays=self._retry_delays,
            timeout=self._delivery_timeout,
            seed=self._seed,
        )
        self.sandbox.deliver = self.deliveries.enqueue
        if self._webhook:
            self.sandbox.add_endpoint(
                url=self._webhook, enabled_events=["*"], secret=self._webhook_secret
            )

    def reset(self) -> None:
        """Forget everything and switch every fault off, as a restart would, on the same port.
        A delivery under way when called still ends, unrecorded."""
        forgotten = self.deliveries
        self._begin()
        self.deliveries.start()
        forgotten.stop()

    def serve_forever(self) -> None:
        """Serve until stopped; a refusing outage closes the port, and here it opens again."""
        self.deliveries.start()
        threading.Thread(target=self._sweep, name="sweeper", daemon=True).start()
        try:
            while True:
                self._httpd.serve_forever(poll_interval=0.05)
                if self._stopping.is_set():
                    break
                time.sleep(max(0.0, self._reopen_at - time.monotonic()))
                self._httpd = self._listen(self.port)
        finally:
            self._stopping.set()
            self._httpd.server_close()
            self.deliveries.stop()

    def refuse_connections(self, seconds: float) -> None:
        """Close the port for `seconds`: every connection is refused, the control API's too.

        Called from a request's thread; returns once the port is closed.
        """
        self.faults.start_outage(seconds)
        self._reopen_at = time.monotonic() + seconds
        self._httpd.shutdown()
        self._httpd.server_close()

    def handle(self, method: str, target: str, headers, body: bytes) -> Answer:
        path, _, query = target.partition("?")
        if path.startswith("/v1/"):
            return self._api(method, path, parse_qsl(query, keep_blank_values=True), headers, body)
        if path.startswith("/_sandbox/"):
            return Answer.json(*control.answer(self, method, path, body))
        if path == "/favicon.ico":  # none: asked for by browsers, and a 404 is a console error
            return Answer(204)
        if path == "/c/style.css":
            return Answer(200, page.STYLE, {"Content-Type": "text/css; charset=utf-8"})
        if path.startswith("/c/"):
            if self.faults.in_outage:
                shown = page.outage()
            else:
                shown = page.answer(self.sandbox, method, path, body)
            headers = {"Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": CSP}
            if shown.location:
                headers["Location"] = shown.location
            return Answer(shown.status, shown.html.encode(), headers)
        return Answer.json(404, {"error": f"Nothing here. Stripe's API is under {self.url}/v1/."})

    def _api(self, method: str, path: str, query: list, headers, body: bytes) -> Answer:
        request_id = new_id("req_", 14)
        stamp = {"Request-Id": request_id, "Stripe-Version": API_VERSION}
        if self.faults.in_outage:
            error = ApiError(503, "Stripe is unavailable (the sandbox's outage).", type="api_error")
            return Answer.json(503, error.as_json(), stamp)
        if refusal := self._refuse_key(headers.get("Authorization")):
            return Answer.json(401, refusal.as_json(), stamp)
        if method == "POST":
            pairs = parse_qsl(body.decode(errors="replace"), keep_blank_values=True)
        else:
            pairs = query
        key = headers.get("Idempotency-Key") if method == "POST" else None
        request = (method, path, sorted(pairs))  # the same parameters, in whatever order
        with self.sandbox.lock:  # the effect and the answer kept under its key are one step
            saved = self.sandbox.answers.get(key) if key else None
            if saved is None:
                status, content, keep = self._call(method, path, pairs)
                if key and keep:
                    self.sandbox.answers[key] = SavedAnswer(request, status, content, request_id)
        if saved is not None:
            if saved.request != request:
                error = ApiError(
                    400,
                    "Keys for idempotent requests can only be used with the same parameters "
                    f"they were first used with. Try using a key other than '{key}' if you "
                    "meant to execute a different request.",
                    type="idempotency_error",
                )
                return Answer.json(400, error.as_json(), stamp)
            replayed = {"Idempotent-Replayed": "true", "Original-Request": saved.request_id}
            return Answer.json(saved.status, saved.content, {**stamp, **replayed})
        if path.endswith("/capture") and status == 200 and self.faults.capture_delay:
            # The capture is done and its answer kept; only this first answer is late, so the
            # client times out not knowing, and its retry with the same key gets the outcome.
            time.sleep(self.faults.capture_delay)
        return Answer.json(status, content, stamp)

    def _call(self, method: str, path: str, pairs: list) -> tuple[int, dict, bool]:
        """The answer to one API request: status, body, and whether its key keeps it."""
        try:
            return 200, api.call(self.sandbox, method, path, api.decode_form(pairs)), True
        except ApiError as error:
            return error.status, error.as_json(), error.saved
        except Exception:
            traceback.print_exc()
            error = ApiError(500, "The sandbox failed on this request.", type="api_error")
            return 500, error.as_json(), True

    def _refuse_key(self, authorization: str | None) -> ApiError | None:
        scheme, _, credentials = (authorization or "").partition(" ")
        key = credentials.strip() if scheme == "Bearer" else ""
        if scheme == "Basic":  # curl -u sk_test_…:
            try:
                key = base64.b64decode(credentials).decode().partition(":")[0]
            except (binascii.Error, UnicodeDecodeError):
                key = ""
        if not key:
            return ApiError(
                401,
                "You did not provide an API key. You need to provide your API key in the "
                "Authorization header, using Bearer auth "
                "(e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
            )
        if not key.startswith("sk_test_") or (self.api_key and key != self.api_key):
            shown = key[:8] + "*" * max(0, len(key) - 12) + key[-4:]
            expected = f"the key {self.api_key[:12]}…" if self.api_key else "a test key, sk_test_…"
            return ApiError(
                401, f"Invalid API Key provided: {shown} (the sandbox takes {expected})"
            )
        return None

    def _listen(self, port: int) -> ThreadingHTTPServer:
        httpd = ThreadingHTTPServer((self._host, port), _Handler)
        httpd.app = self
        return httpd

    def _sweep(self) -> None:
        while not self._stopping.wait(SWEEP_SECONDS):
            self.sandbox.sweep()


class _Handler(BaseHTTPRequestHandler):
    server_version = "StripeSandbox"

    def do_GET(self):
        self._answer("GET")

    def do_POST(self):
        self._answer("POST")

    def do_DELETE(self):
        self._answer("DELETE")

    def _answer(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        try:
            answer = self.server.app.handle(method, self.path, self.headers, body)
        except Exception:  # a bug of the sandbox's: said, and the connection answered
            traceback.print_exc()
            answer = Answer(500, b"The sandbox failed on this request.\n")
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        self.wfile.write(answer.body)

    def log_message(self, format, *args):
        sys.stderr.write(f"{self.log_date_time_string()} {format % args}\n")
