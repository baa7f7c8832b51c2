"""Property tests generated from the OpenAPI schema (schemathesis): every operation,
called with generated parameters and bodies (valid and not), with an agency's write
token and without one, never answers a server error."""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error

from api.services import webhook_ping, webhook_register

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _schema() -> dict:
    """The schema /api/schema/ serves, generated here (collection needs no database)."""
    generated = SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


schema = schemathesis.openapi.from_dict(_schema())


@pytest.fixture
def _connection_kept_between_requests():
    """The app is called in-process, inside the test's transaction: like Django's test
    client, do not close the connection at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def app(settings, _connection_kept_between_requests, two_agencies, need_routed_to, booking_at):
    settings.ALLOWED_HOSTS = ["*"]
    # Objects the generated ids may name: the agency's own, and another agency's.
    for agency in two_agencies:
        need_routed_to(agency)
        booking_at(agency)
        endpoint = webhook_register(
            agency=agency, url="http://127.0.0.1:9/", events=["need.routed"]
        )
        webhook_ping(endpoint=endpoint)
    return get_wsgi_application()


@pytest.fixture
def write_key(two_agencies, token_for):
    return token_for(two_agencies[0], scope="write")


@schema.parametrize()
@hypothesis_settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_generated_call_answers_a_server_error(case, app, write_key):
    for headers in ({"Authorization": f"Bearer {write_key}"}, {}):
        case.call_and_validate(headers=headers, checks=[not_a_server_error], app=app)
