"""Error reports to ADMINS, through the outbox, once per error per window.

Django's `AdminEmailHandler` mails ADMINS from inside the failing request: a slow mail server
then holds the shopper's error page, and an error that happens on every request (a bad
deploy, a broken template) sends a mail for every request. `ErrorMailHandler` is Django's
handler, with its report, but:

- **through the outbox**: the request writes the mail and its delivery task (two INSERTs,
  `queue_email`) and the worker sends it, retrying through mail-server outages like every
  other mail. Nothing here can raise into the request.
- **once per error per window**: an error's *fingerprint* (its exception's class and the
  functions its traceback passed through, or for a 5xx without one its logger and message
  template) and the window it falls in (the clock cut into stretches of ERROR_MAIL_WINDOW:
  with the default, each hour) name the mail in the outbox (its `key`). The same error again in
  that window finds its mail there and queues nothing, before a report is even written. The
  log keeps every occurrence, each with its request id.

settings.LOGGING attaches it to the `django` logger at ERROR with DEBUG off, as Django attaches
its own. Nothing is queued while ADMINS is empty, nor when the database is what failed (there
is nowhere to queue to; the log, and Sentry when configured, still have it).
"""

import hashlib
import logging
import time
import traceback

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils.log import AdminEmailHandler

from .requestlog import current_request_id


class ErrorMailHandler(AdminEmailHandler):
    """Django's AdminEmailHandler, queuing its mail in the outbox, once per error per window."""

    def emit(self, record: logging.LogRecord) -> None:
        if not settings.ADMINS:
            return
        # Imported when first used: logging is configured before the apps are loaded.
        from outbox.services import is_queued, queue_email

        window = int(settings.ERROR_MAIL_WINDOW.total_seconds())
        key = f"error.{fingerprint(record)}.{int(time.time()) // window}"
        try:
            if is_queued(f"{key}.0"):
                return  # mailed already in this window
            context = {
                "summary": record.getMessage(),
                "request_id": current_request_id(),
                "report": self._report(record),
                "window_minutes": window // 60,
            }
            subject = self.format_subject(
                f"{settings.EMAIL_SUBJECT_PREFIX}{record.levelname}: {record.getMessage()}"
            )
            with transaction.atomic():
                for index, address in enumerate(settings.ADMINS):
                    queue_email(
                        key=f"{key}.{index}",
                        to=address,
                        from_email=settings.SERVER_EMAIL,
                        subject=subject,
                        template="operations/email/error_report",
                        context=context,
                    )
        except DatabaseError:
            pass  # the database is down or broken: nowhere to queue, and the log has the error
        except Exception:
            self.handleError(record)  # logging's way: a note on stderr, never a raise

    def _report(self, record: logging.LogRecord) -> str:
        """Django's plain-text error report: the traceback, its local variables, the request
        and the settings, with passwords and keys hidden."""
        exc_info = record.exc_info or (None, record.getMessage(), None)
        request = getattr(record, "request", None)
        return self.reporter_class(request, *exc_info, is_email=True).get_traceback_text()


def fingerprint(record: logging.LogRecord) -> str:
    """What makes two records the same error, whatever their messages' details and wherever
    in the shop (which URL, which object) they happened."""
    if record.exc_info and record.exc_info[0]:
        kind, _, trace = record.exc_info
        parts = [
            f"{kind.__module__}.{kind.__qualname__}",
            *(
                f"{frame.f_code.co_filename}:{frame.f_code.co_name}"
                for frame, _ in traceback.walk_tb(trace)
            ),
        ]
    else:
        parts = [record.name, str(record.msg), str(getattr(record, "status_code", ""))]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]
