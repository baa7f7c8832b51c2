"""Every call to the API is logged: who (the token's prefix and agency, or anonymous),
what, the answer and how long it took. Logs, not a table: a read costs no write."""

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("api.calls")


class ApiCallLog:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        token = getattr(request, "api_token", None)
        logger.info(
            "%s %s %s %.0fms %s",
            request.method,
            request.get_full_path()[:300],
            response.status_code,
            (time.perf_counter() - started) * 1000,
            f"token={token.prefix} agency={token.agency.slug}" if token else "anonymous",
        )
        return response
