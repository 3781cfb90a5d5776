import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for the load balancer and docker-compose: the process answers and the database does. While the
    database is down it answers 503 (never a 500 page); the connection pool replaces broken connections, so it
    answers "ok" again as soon as PostgreSQL is back, without a restart."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:  # includes the pool's timeout (an OperationalError)
        logger.warning("healthz: database unavailable (%s)", type(error).__name__)
        connection.close()  # give a broken connection back; the pool checks it before the next request
        response = HttpResponse("database unavailable", status=503, content_type="text/plain")
        response["Retry-After"] = "30"
        return response
    return HttpResponse("ok", content_type="text/plain")
