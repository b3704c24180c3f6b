"""One log line per request, and an id that ties it to everything else the request caused.

`RequestLogMiddleware`, first in MIDDLEWARE, gives each request an id: the incoming
`X-Request-ID` when a proxy set one that is safe to repeat (letters, digits and `._:-`, at most
128), else 16 random hex digits. The response carries it back in `X-Request-ID`, the 500 page
shows it (a shopper can quote it), the error mail and Sentry's event name it, and every line
logged while the request is served carries it. When the response leaves, one line says what
was asked and how it went:

    GET /products/cast-iron-skillet/ 200 1.9 ms [request 5f0c2a91d3e84b17]

With LOG_FORMAT=json every line is one JSON object instead, the request's fields apart
(`method`, `path`, `status`, `duration_ms`, `request_id`), for a log shipper to index. The task
worker's lines carry the id of the task they belong to (`task_id`) the same way.

It runs on every request, so it does only what that needs: two clock reads, a header read,
one draw of random bytes and the log call. The log call is most of its cost, about 40 µs a
request in-process here (docs/benchmarks.md, "The request log"). The path is logged without
its query string, which can hold what a shopper typed.
"""

import json
import logging
import re
import secrets
import time
from contextvars import ContextVar

logger = logging.getLogger("storefront.requests")

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
_task_id: ContextVar[str | None] = ContextVar("task_id", default=None)

# What an incoming id may look like to be repeated in logs and headers as it is.
SANE_ID = re.compile(r"[\w.:-]{1,128}", re.ASCII)


def current_request_id() -> str | None:
    """The id of the request being served in this thread, if any."""
    return _request_id.get()


class RequestLogMiddleware:
    """Give each request an id, send it back in X-Request-ID, and log one line when done."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")  # not .headers: it copies them all
        request.id = incoming if SANE_ID.fullmatch(incoming) else secrets.token_hex(8)
        token = _request_id.set(request.id)
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.id
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            logger.info(
                "%s %s %d %.1f ms",
                request.method,
                request.path,
                response.status_code,
                duration_ms,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                },
            )
            return response
        finally:
            _request_id.reset(token)


def set_task_id(task_id: str | None) -> None:
    """Mark the lines logged from now on as the task's (None: as no task's).

    Called by operations.receivers when django.tasks starts and finishes a task.
    """
    _task_id.set(task_id)


class ContextFilter(logging.Filter):
    """Sets `request_id` and `task_id` on every record (None outside a request or a task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        record.task_id = _task_id.get()
        return True


class TextFormatter(logging.Formatter):
    """The message, then the request or task it belongs to: `Sent e-mail 4 … [task 6c1f…]`."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        message = super().formatMessage(record)
        if request_id := getattr(record, "request_id", None):
            message += f" [request {request_id}]"
        if task_id := getattr(record, "task_id", None):
            message += f" [task {task_id}]"
        return message


# What every record holds: the JSON line names its own. Plain values added with `extra=` go
# through (a request line's method, path, status and duration; Django's `status_code`).
_STANDARD = {*vars(logging.makeLogRecord({})), "message", "asctime"}
_PLAIN = {str, int, float, bool}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, ids, and any `extra` fields.

    It runs for every request, so it does little: the time from `time.gmtime` rather than a
    datetime, only the attributes a record does not always have, and plain values only, which
    json writes on its fast path (a `default=` would leave it).
    """

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        fields = vars(record)
        for name in fields.keys() - _STANDARD:
            if type(fields[name]) in _PLAIN:
                line[name] = fields[name]
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line)


def tag_sentry_event(event: dict, hint: dict) -> dict:
    """Sentry's before_send: the request id on the event, to find the one a shopper quotes."""
    if request_id := _request_id.get():
        event.setdefault("tags", {})["request_id"] = request_id
    return event
