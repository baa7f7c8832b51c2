from django.http import Http404
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """DRF's, except for Django's Http404, whose message names a model in English ("No
    WebhookEndpoint matches the given query."): the API says "Not found." in the
    caller's language, whatever the object."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)
