"""Who may do what in a call. Every page finds its object through these, so a URL of
someone else's application, assignment or file answers 404."""

from django.db.models import QuerySet

from accounts.models import User

from .models import ApplicationFile, Assignment, Call


def is_manager(user: User, call: Call) -> bool:
    """The coordinator and the call's named managers."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_coordinator or call.managers.filter(pk=user.pk).exists()


def is_evaluator(user: User, call: Call) -> bool:
    return user.is_authenticated and user.is_active and call.evaluators.filter(user=user).exists()


def assignments_of(user: User, call: Call) -> QuerySet[Assignment]:
    """The applications assigned to `user` in `call` while they are one of its evaluators
    (submitted ones only: a withdrawn application leaves the evaluators' lists)."""
    if not user.is_authenticated:
        return Assignment.objects.none()
    return Assignment.objects.filter(
        evaluator=user,
        application__call=call,
        application__status="submitted",
        # An evaluator taken off the call no longer sees what was assigned to them.
        evaluator__call_evaluations__call=call,
    ).select_related("application__company", "application__applicant")


def file_readable_by(user: User, file: ApplicationFile) -> bool:
    """The applicant, an evaluator assigned to the application without a conflict of
    interest, the call's managers."""
    if not user.is_authenticated:
        return False
    application = file.application
    return (
        application.applicant_id == user.pk
        or application.assignments.filter(evaluator=user, conflict=False).exists()
        or is_manager(user, application.call)
    )
