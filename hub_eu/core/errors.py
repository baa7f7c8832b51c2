"""The error pages (400, 403, 404, 500 and a refused form's CSRF check) in the site's
layout and the reader's language, each with a way back.

LocaleMiddleware has activated the language of the URL's prefix (or the reader's) before
any of these runs, even for a URL that matches no pattern.
"""

import logging

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.middleware.csrf import REASON_NO_CSRF_COOKIE, get_token
from django.shortcuts import render
from django.template import loader
from django.utils.html import escape
from django.utils.translation import gettext as _

from common.http import back_url

logger = logging.getLogger(__name__)


def _page(request: HttpRequest, template: str, status: int, **context) -> HttpResponse:
    context["back_url"] = back_url(request)
    return render(request, template, context, status=status)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return _page(request, "400.html", 400)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return _page(request, "403.html", 403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return _page(request, "404.html", 404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token: most often an old tab or a session that
    ended. The page's own form tokens are fresh, so going back and sending again works."""
    return _page(request, "403_csrf.html", 403, no_cookie=reason == REASON_NO_CSRF_COOKIE)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page must show even when the database is down: no context processor runs
    (they would load the session and the user), the layout sees an anonymous reader and
    no messages. If even that fails, a bare page in the reader's language."""
    try:
        try:
            csrf_token = get_token(request)
        except Exception:
            csrf_token = ""
        context = {
            "request": request,
            "user": AnonymousUser(),
            "messages": [],
            "csrf_token": csrf_token,
            "DEBUG": settings.DEBUG,
            "SITE_NAME": "hub.eu",
        }
        body = loader.get_template("500.html").render(context)
    except Exception:
        logger.exception("The 500 page could not be rendered in the layout")
        body = (
            f"<!DOCTYPE html><html><head><title>{escape(_('Server error'))} · hub.eu</title>"
            f"</head><body><h1>{escape(_('Something went wrong on our side'))}</h1>"
            f'<p><a href="/">{escape(_("Back to the home page"))}</a></p></body></html>'
        )
    return HttpResponseServerError(body)
