"""Who may do what in a hackathon. Every page finds its object through these, so a URL
of someone else's team, submission or scoring answers 404."""

from accounts.models import User
from events.models import Event, Registration

from .models import Assignment, Hackathon, SubmissionFile, Team


def is_organiser(user: User, event: Event) -> bool:
    """The coordinator, the event's organisers, the staff of its organising agency and
    the managers of its organising incubator."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_coordinator or event.organisers.filter(pk=user.pk).exists():
        return True
    advisor = getattr(user, "advisor_profile", None)
    if (
        event.organiser_agency_id
        and advisor is not None
        and advisor.is_active
        and advisor.agency_id == event.organiser_agency_id
    ):
        return True
    return bool(
        event.organiser_incubator_id
        and event.organiser_incubator.managers.filter(pk=user.pk).exists()
    )


def is_participant(user: User, hackathon: Hackathon) -> bool:
    """A person with a confirmed registration to the hackathon's event."""
    return (
        user.is_authenticated
        and Registration.objects.filter(
            event_id=hackathon.event_id, user=user, status=Registration.Status.CONFIRMED
        ).exists()
    )


def team_of(user: User, hackathon: Hackathon) -> Team | None:
    if not user.is_authenticated:
        return None
    return (
        Team.objects.filter(hackathon=hackathon, members__user=user)
        .select_related("challenge")
        .first()
    )


def assignments_of(user: User, hackathon: Hackathon):
    return Assignment.objects.filter(juror=user, submission__hackathon=hackathon).select_related(
        "submission__team", "submission__challenge"
    )


def file_readable_by(user: User, file: SubmissionFile) -> bool:
    """A team member, a juror assigned to the submission, the organisers."""
    if not user.is_authenticated:
        return False
    submission = file.submission
    hackathon = submission.hackathon
    return (
        submission.team.members.filter(user=user).exists()
        or submission.assignments.filter(juror=user).exists()
        or is_organiser(user, hackathon.event)
    )
