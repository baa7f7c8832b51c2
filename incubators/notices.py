"""What the directory tells people: a request to join a company, to those who may approve
it, and the decision, to the person who asked.

Declared in the notifications registry; built at sending time in the recipient's
language, from the request as it is then (a request decided or withdrawn meanwhile is
not announced any more).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications import registry
from notifications.emails import Email, absolute_url
from notifications.models import Notification

from .models import CompanyJoinRequest

COMPANY_JOIN_REQUESTED = "company_join_requested"
COMPANY_JOIN_APPROVED = "company_join_approved"
COMPANY_JOIN_REFUSED = "company_join_refused"

registry.subject(
    CompanyJoinRequest,
    lambda: CompanyJoinRequest.objects.select_related("company", "user"),
)


def join_request_key(kind: str, join_request: CompanyJoinRequest, recipient_id: int) -> str:
    return f"{kind}:company-join:{join_request.pk}:user:{recipient_id}"


@registry.notice(COMPANY_JOIN_REQUESTED, gettext_lazy("Request to join a company"))
def company_join_requested(n: Notification) -> Email | None:
    join_request = n.subject
    if join_request is None or join_request.status != CompanyJoinRequest.Status.PENDING:
        return None
    names = {"person": join_request.user, "company": join_request.company.name}
    return Email(
        subject=_("%(person)s asks to join %(company)s") % names,
        lines=[
            _("%(person)s (%(email)s) asks to be listed as one of the people of %(company)s.")
            % {**names, "email": join_request.user.email},
            _(
                "Once approved, they can ask for memberships in its name and book the "
                "permanences kept for the members of its incubators. Approve only someone "
                "you know works there."
            ),
        ],
        action_url=absolute_url("incubators:join_requests"),
        action_label=_("Approve or refuse"),
    )


@registry.notice(COMPANY_JOIN_APPROVED, gettext_lazy("Request to join a company approved"))
def company_join_approved(n: Notification) -> Email | None:
    join_request = n.subject
    if join_request is None or join_request.status != CompanyJoinRequest.Status.APPROVED:
        return None
    return Email(
        subject=_("You are now listed at %(company)s") % {"company": join_request.company.name},
        lines=[
            _(
                "Your request to join %(company)s is approved: you can book the permanences "
                "kept for the members of its incubators."
            )
            % {"company": join_request.company.name},
        ],
        action_url=absolute_url("dashboard"),
        action_label=_("My space"),
    )


@registry.notice(COMPANY_JOIN_REFUSED, gettext_lazy("Request to join a company refused"))
def company_join_refused(n: Notification) -> Email | None:
    join_request = n.subject
    if join_request is None or join_request.status != CompanyJoinRequest.Status.REFUSED:
        return None
    return Email(
        subject=_("Your request to join %(company)s was not approved")
        % {"company": join_request.company.name},
        lines=[
            _(
                "If you do work at %(company)s, ask a colleague already listed there, or "
                "your incubator, to approve a new request."
            )
            % {"company": join_request.company.name},
        ],
        action_url=absolute_url("incubators:onboarding"),
        action_label=_("Your company"),
    )
