"""With SENTRY_DSN set, a server error reaches Sentry, tagged with its request id and without
personal data. Sentry here is a real HTTP server on a free loopback port that keeps what it is
sent, as Sentry's ingest endpoint would."""

import gzip
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from storefront.tests.processes import PRODUCTION, run_shop


class _Ingest(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        elif self.headers.get("Content-Encoding") == "br":
            import brotli

            body = brotli.decompress(body)
        self.server.received.append((self.path, body.decode()))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_ingest():
    """A server on a free loopback port that accepts Sentry's envelopes and keeps them."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ingest)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _events(received: list[tuple[str, str]]) -> list[dict]:
    """The error events among the envelopes: a header line, then (item header, payload) lines."""
    events = []
    for _, envelope in received:
        lines = envelope.splitlines()[1:]
        for header, payload in zip(lines[::2], lines[1::2], strict=False):
            if json.loads(header).get("type") == "event":
                events.append(json.loads(payload))
    return events


def test_a_server_error_reaches_sentry_with_its_request_id_and_no_personal_data(
    sentry_ingest, tmp_path
):
    # Through the WSGI application, as gunicorn calls it: Sentry reads the request there.
    code = """
        from wsgiref.util import setup_testing_defaults
        from storefront.wsgi import application
        import sentry_sdk
        from django.core.management import call_command
        from django.test import override_settings
        call_command("collectstatic", interactive=False, verbosity=0)
        environ = {
            "PATH_INFO": "/broken/",
            "HTTP_HOST": "testserver",
            "REMOTE_ADDR": "203.0.113.7",
            "HTTP_COOKIE": "sessionid=the-shoppers-session-cookie",
        }
        setup_testing_defaults(environ)
        answer = {}
        def start_response(status, headers, exc_info=None):
            answer.update(headers, status=status)
        with override_settings(ROOT_URLCONF="storefront.tests.failing_urls"):
            b"".join(application(environ, start_response))
        print(answer["status"].split()[0], answer["X-Request-ID"])
        sentry_sdk.flush(timeout=10)
    """
    result = run_shop(
        code,
        **PRODUCTION,
        DATABASE_URL=f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        SENTRY_DSN=f"http://public-key@127.0.0.1:{sentry_ingest.server_port}/42",
    )

    assert result.returncode == 0, result.stderr
    status, request_id = result.stdout.split()
    assert status == "500"
    assert {path for path, _ in sentry_ingest.received} == {"/api/42/envelope/"}
    [event] = _events(sentry_ingest.received)
    [exception] = event["exception"]["values"]
    assert (exception["type"], exception["value"]) == ("RuntimeError", "the stock service is down")
    assert event["tags"]["request_id"] == request_id
    assert event["request"]["url"] == "http://testserver/broken/"
    sent = json.dumps(event)
    assert "the-shoppers-session-cookie" not in sent
    assert "203.0.113.7" not in sent
