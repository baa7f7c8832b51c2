"""The results of the survey after an event, for its organisers (events' staff)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from events.checkin import managed_events

from .events import event_results


@login_required
def event_survey_results(request: HttpRequest, slug: str) -> HttpResponse:
    """Response rate for everyone; satisfaction, its spread, NPS and the written answers
    only from MIN_GROUP responses on, so that no answer can be traced to a person."""
    event = get_object_or_404(managed_events(request.user), slug=slug)
    return render(
        request,
        "surveys/event_results.html",
        {"event": event, "results": event_results(event=event), "tab": "survey"},
    )
