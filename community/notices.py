"""What the community directory sends: a visitor's message to each person of the company
(recorded by services.contact_message_send), answering to the visitor's address."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications import registry
from notifications.emails import Email, absolute_url
from notifications.models import Notification

from .models import ContactMessage

COMPANY_MESSAGE = "community_message"

registry.subject(ContactMessage, lambda: ContactMessage.objects.select_related("company"))


@registry.notice(COMPANY_MESSAGE, gettext_lazy("Message to your company from the directory"))
def company_message(n: Notification) -> Email | None:
    message = n.subject
    values = {
        "name": message.sender_name,
        "email": message.sender_email,
        "company": message.company.name,
    }
    # The company answers by email, straight to the visitor; the address is in the text
    # too, so the company sees who wrote.
    return Email(
        reply_to=[message.sender_email],
        subject=_("%(company)s: %(subject)s (message through hub.eu)")
        % {**values, "subject": message.subject},
        lines=[
            _("%(name)s (%(email)s) writes to %(company)s through the community directory:")
            % values,
            _("Subject: %(subject)s") % {"subject": message.subject},
            message.body,
            _(
                "To answer, reply to this email: your answer goes to %(email)s, and "
                "%(name)s then sees your address."
            )
            % values,
        ],
        action_url=absolute_url("community:messages", company_id=message.company_id),
        action_label=_("See the messages your company received"),
    )
