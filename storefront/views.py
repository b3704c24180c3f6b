from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
def healthz(request) -> HttpResponse:
    """Liveness: the process answers. Touches no database, so it is also the speed ceiling."""
    return HttpResponse("ok", content_type="text/plain")
