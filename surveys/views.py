from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.decorators import coordinator_required
from common.ratelimit import rate_limited

from .forms import SurveyForm
from .models import Question, Section, Survey
from .services import AlreadyAnswered, LinkExpired, response_submit
from .tokens import invitation_from_token


def _form_for(survey, data=None) -> SurveyForm:
    sections = Section.objects.filter(survey=survey).prefetch_related(
        Prefetch("questions", queryset=Question.objects.prefetch_related("choices"))
    )
    return SurveyForm(data, sections=sections)


@coordinator_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator sees the survey as people will, in the page's language; nothing
    can be sent from it."""
    survey = get_object_or_404(Survey, pk=pk)
    return render(
        request,
        "surveys/answer.html",
        {"invitation": None, "survey": survey, "form": _form_for(survey), "preview": True},
    )


def _message(request: HttpRequest, state: str, status: int, invitation=None) -> HttpResponse:
    context = {"state": state, "invitation": invitation}
    return render(request, "surveys/link_state.html", context, status=status)


@rate_limited("survey_answer")
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time link of an invitation: no login needed, one response, saved at once.
    An altered, expired or used link gets a page that says so, in the link's language."""
    invitation = invitation_from_token(token)
    if invitation is None:
        return _message(request, "invalid", 404)
    if invitation.answered_at is not None:
        state = "thanks" if request.GET.get("done") else "answered"
        return _message(request, state, 200, invitation)
    survey = invitation.survey
    if invitation.expires_at <= timezone.now() or not survey.is_open():
        return _message(request, "expired", 410, invitation)
    form = _form_for(survey, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                response_submit(invitation=invitation, answers=form.answers())
            except AlreadyAnswered:
                return _message(request, "answered", 200, invitation)
            except LinkExpired:
                return _message(request, "expired", 410, invitation)
            return redirect(request.path + "?done=1")
        messages.error(request, _("Some answers are missing: see the questions marked below."))
    return render(
        request, "surveys/answer.html", {"invitation": invitation, "survey": survey, "form": form}
    )
