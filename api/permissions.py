from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import AgencyToken


class AgencyTokenRequired(BasePermission):
    """An agency's own data: a valid token, and the write scope for changes."""

    message = _("This needs an agency token with the write scope.")

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if not isinstance(token, AgencyToken):
            return False
        return request.method in SAFE_METHODS or token.can_write
