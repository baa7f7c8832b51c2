"""The site's URLs plus views that fail on purpose, for the error page tests."""

from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from hub_eu import urls as site_urls

handler400 = site_urls.handler400
handler403 = site_urls.handler403
handler404 = site_urls.handler404
handler500 = site_urls.handler500


def bad_request(request):
    raise SuspiciousOperation("a test")


def forbidden(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("a bug, on purpose")


urlpatterns = [
    *i18n_patterns(
        path("test/400/", bad_request),
        path("test/403/", forbidden),
        path("test/500/", broken),
    ),
    *site_urls.urlpatterns,
]
