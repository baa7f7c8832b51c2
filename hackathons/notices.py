"""What hackathons send: the results, once the organiser publishes the winners, to every
member of a team that submitted (recorded by services.winners_publish)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications import registry
from notifications.emails import Email, absolute_url
from notifications.models import Notification

from .models import Award, Hackathon, Team

HACKATHON_RESULTS = "hackathon_results"

registry.subject(Hackathon, lambda: Hackathon.objects.select_related("event"))


@registry.notice(HACKATHON_RESULTS, gettext_lazy("Hackathon results"))
def hackathon_results(n: Notification) -> Email | None:
    hackathon = n.subject
    if hackathon.results_published_at is None:
        return None
    team = Team.objects.filter(pk=n.context.get("team")).first()
    if team is None:
        return None
    awards = list(
        Award.objects.filter(hackathon=hackathon, submission__team=team).select_related("challenge")
    )
    lines = []
    if awards:
        for award in awards:
            if award.challenge is None:
                lines.append(
                    _("Congratulations: your team %(team)s wins the hackathon!")
                    % {"team": team.name}
                )
            else:
                lines.append(
                    _("Congratulations: your team %(team)s wins the challenge “%(challenge)s”!")
                    % {"team": team.name, "challenge": award.challenge.title}
                )
    else:
        lines.append(
            _("Thank you for taking part with %(team)s. The winners are on the hackathon's page.")
            % {"team": team.name}
        )
    return Email(
        subject=_("%(hackathon)s: the results") % {"hackathon": hackathon.event.title},
        lines=lines,
        action_url=absolute_url("hackathons:detail", slug=hackathon.event.slug),
        action_label=_("See the winners"),
    )
