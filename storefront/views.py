import sys
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.views import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks_db.models import DBTaskResult


@require_safe
@never_cache
def healthz(request) -> HttpResponse:
    """Liveness: the process answers. Touches no database, so it is also the speed ceiling."""
    return HttpResponse("ok", content_type="text/plain")


@require_safe
@never_cache
def readyz(request) -> JsonResponse:
    """Readiness: the database answers and the task queue (a table in it) can be read.

    503 with the failing part named, so a load balancer stops sending traffic here.

    The cache is reported too, by name, but never makes the host unready: every host shares
    the one cache, so a Redis outage would mark them all unready at once and take the whole
    shop down, when each of them can still serve every page (uncached, slower). It answers
    "degraded" instead, with a 200, for an operator to see.
    """
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except DatabaseError as error:
        checks["database"] = f"unavailable: {error.__class__.__name__}"
    try:
        DBTaskResult.objects.filter(status="READY").exists()
        checks["task_queue"] = "ok"
    except DatabaseError as error:
        checks["task_queue"] = f"unavailable: {error.__class__.__name__}"
    ready = all(state == "ok" for state in checks.values())
    cache_ok = cache_is_reachable()
    checks["cache"] = "ok" if cache_ok else "unavailable: pages are served uncached"
    checks["status"] = "unavailable" if not ready else "ok" if cache_ok else "degraded"
    return JsonResponse(checks, status=200 if ready else 503)


def cache_is_reachable() -> bool:
    """Whether the default cache answers: a PING for Redis, a write and read back otherwise."""
    cache = caches["default"]
    if hasattr(cache, "is_reachable"):  # pagecache.backends.ResilientRedisCache: a PING
        return cache.is_reachable()
    probe = f"readyz:{uuid.uuid4().hex}"
    try:
        cache.set(probe, 1, 5)
        answered = cache.get(probe) == 1
        cache.delete(probe)
    except Exception:  # any backend, any failure: the answer is "no"
        return False
    return answered


def server_error(request) -> HttpResponse:
    """handler500: a friendly page; a 503 when the database is away (down, locked, gone).

    Both pages are plain templates that touch neither the database nor the session, so they
    render whatever is broken. The 500 shows the request's id (operations.requestlog), which a
    shopper can quote and the log, the error mail and Sentry all carry.
    """
    exception = sys.exc_info()[1]
    if isinstance(exception, OperationalError | InterfaceError):
        return HttpResponse(render_to_string("503.html"), status=503, headers={"Retry-After": "30"})
    context = {"request_id": getattr(request, "id", None)}
    return HttpResponse(render_to_string("500.html", context), status=500)


@require_safe
def media(request, path: str) -> HttpResponse:
    """An uploaded file from MEDIA_ROOT: product pictures and their renditions.

    Django's static `serve` view, which refuses paths outside MEDIA_ROOT and answers
    If-Modified-Since, is enough for one machine: the renditions are small and a browser keeps
    them. Their names never change content (a new upload gets a new name), so a day's caching
    is safe. A busier shop lets a proxy or a bucket serve them (docs/deploy.md).
    """
    response = static.serve(request, path, document_root=settings.MEDIA_ROOT)
    patch_cache_control(response, public=True, max_age=60 * 60 * 24)
    return response
