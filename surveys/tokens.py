"""The one-time links of survey invitations: the invitation's id, signed."""

from django.core import signing

from .models import Invitation

TOKEN_SALT = "hub_eu.surveys.invitation"


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=TOKEN_SALT)


def invitation_from_token(token: str) -> Invitation | None:
    """The invitation a link names, or None if the link was altered."""
    try:
        pk = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return (
        Invitation.objects.select_related("survey", "agency", "incubator", "advisor__user")
        .filter(pk=pk)
        .first()
    )
