"""A budget of calls per token, and per address for calls without one (429 over it)."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .models import AgencyToken


class _Throttle(SimpleRateThrottle):
    def get_rate(self) -> str | None:
        # Read when asked, not once at import, so that a changed setting applies.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class TokenThrottle(_Throttle):
    scope = "token"

    def get_cache_key(self, request, view) -> str | None:
        if not isinstance(request.auth, AgencyToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class AnonymousThrottle(_Throttle):
    scope = "anonymous"

    def get_cache_key(self, request, view) -> str | None:
        if isinstance(request.auth, AgencyToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
