"""Small helpers about the request."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def back_url(request: HttpRequest) -> str:
    """The page the reader came from, if it is a page of this site (never another site's),
    for the "back" link of an error page; "" when there is none."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        allowed_hosts = {request.get_host()}
    except Exception:  # DisallowedHost: the 400 of a request to a host we do not serve
        return ""
    if not referer or not url_has_allowed_host_and_scheme(
        referer, allowed_hosts=allowed_hosts, require_https=request.is_secure()
    ):
        return ""
    # A form's page is the way back from its refused POST; a GET's own address is not.
    if request.method == "GET" and referer == request.build_absolute_uri():
        return ""
    return referer
