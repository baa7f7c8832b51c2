import pytest
import yaml
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


def test_the_schema_validates_and_names_every_endpoint(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)
    assert set(schema["paths"]) == {
        "/api/v1/agencies/",
        "/api/v1/agencies/{slug}/",
        "/api/v1/incubators/",
        "/api/v1/slots/",
        "/api/v1/events/",
        "/api/v1/needs/",
        "/api/v1/needs/{id}/",
        "/api/v1/needs/{id}/status/",
        "/api/v1/needs/{id}/messages/",
        "/api/v1/needs/{id}/transfer/",
        "/api/v1/bookings/",
        "/api/v1/bookings/{id}/",
        "/api/v1/bookings/{id}/attendance/",
        "/api/v1/surveys/results/",
        "/api/v1/webhooks/",
        "/api/v1/webhooks/{id}/",
        "/api/v1/webhooks/{id}/deliveries/",
        "/api/v1/webhooks/{id}/ping/",
        "/api/v1/webhooks/{id}/deliveries/{delivery_pk}/resend/",
    }
    assert schema["components"]["securitySchemes"]["agencyToken"]["scheme"] == "bearer"
    needs = schema["paths"]["/api/v1/needs/"]["get"]
    assert needs["security"] == [{"agencyToken": []}]
    # The webhooks are documented on the same page: every event, and the signature.
    description = schema["info"]["description"]
    for event in ("need.routed", "booking.created", "survey.answered", "X-Hub-Signature"):
        assert event in description


def test_the_documentation_page_loads_its_files_from_the_site(client):
    page = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in page
    assert "cdn" not in page.lower() and "unpkg" not in page.lower()
