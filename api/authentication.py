"""`Authorization: Bearer <key>` with an agency token."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from .models import AgencyToken
from .services import token_authenticate


class AgencyTokenAuthentication(authentication.BaseAuthentication):
    """No header: anonymous (the public endpoints). A header with an unknown, revoked or
    expired key: 401, never a silent fall back to anonymous."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[None, AgencyToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Give the token after 'Bearer' and a single space.")
            )
        try:
            key = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("This token is not valid.")) from None
        token = token_authenticate(key)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("This token is not valid: unknown, revoked or expired.")
            )
        request._request.api_token = token  # for the call log (api.middleware)
        return (None, token)

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'
