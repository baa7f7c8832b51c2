"""How the OpenAPI schema describes agency tokens."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class AgencyTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.AgencyTokenAuthentication"
    name = "agencyToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An agency token, issued by the coordinator: "
            "`Authorization: Bearer hub_…`.",
        }
