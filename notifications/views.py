from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from accounts.models import User
from accounts.services import DIGESTS, user_unsubscribe

from .emails import unsubscribe_token_read


# The signed token is the authorisation, and mail clients send RFC 8058's one-click
# POST without a session or a CSRF token.
@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """A digest's own "stop receiving it" link. GET asks for confirmation (link scanners
    follow links); POST switches that digest off."""
    read = unsubscribe_token_read(token)
    user = None
    if read is not None and read[1] in DIGESTS:
        user = User.objects.filter(pk=read[0], is_active=True).first()
    if user is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    digest = User._meta.get_field(read[1]).verbose_name
    if request.method == "POST":
        user_unsubscribe(user=user, digest=read[1])
        return render(request, "notifications/unsubscribe.html", {"done": True, "digest": digest})
    return render(
        request, "notifications/unsubscribe.html", {"digest": digest, "email": user.email}
    )
