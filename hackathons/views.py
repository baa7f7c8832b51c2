"""The hackathon pages: the public page (challenges, teams and skills boards, timeline,
winners), a participant's team and submission, a juror's scoring, the organiser's
ranking and publication. Someone else's team, submission or scoring is a 404."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.ratelimit import rate_limited
from common.uploads import private_file_response

from . import services
from .access import assignments_of, file_readable_by, is_organiser, is_participant, team_of
from .forms import AssignForm, PublishForm, ScoreForm, SkillPostForm, SubmissionForm, TeamForm
from .models import Assignment, Hackathon, Partner, SkillPost, Submission, SubmissionFile, Team
from .selectors import published_awards, ranking, skills_board, teams_board


def _hackathon(request: HttpRequest, slug: str) -> Hackathon:
    hackathon = get_object_or_404(
        Hackathon.objects.select_related("event"), event__slug=slug, event__kind="hackathon"
    )
    if hackathon.event.status != "published" and not is_organiser(request.user, hackathon.event):
        raise Http404
    return hackathon


def _organised(request: HttpRequest, slug: str) -> Hackathon:
    hackathon = _hackathon(request, slug)
    if not is_organiser(request.user, hackathon.event):
        raise Http404
    return hackathon


def hackathon_list(request: HttpRequest) -> HttpResponse:
    hackathons = Hackathon.objects.public().select_related("event").order_by("-submission_deadline")
    return render(request, "hackathons/hackathon_list.html", {"hackathons": hackathons})


def hackathon_detail(request: HttpRequest, slug: str) -> HttpResponse:
    hackathon = _hackathon(request, slug)
    # PostgreSQL refuses a NUL character in a query: it can only be a probe.
    skill = request.GET.get("skill", "").replace("\x00", "").strip()[:50]
    user = request.user
    context = {
        "hackathon": hackathon,
        "event": hackathon.event,
        "sessions": list(hackathon.event.sessions.all()),
        "challenges": hackathon.challenges.select_related("partner").prefetch_related("resources"),
        "criteria": hackathon.criteria.all(),
        "teams": teams_board(hackathon=hackathon, skill=skill),
        "skill_posts": skills_board(hackathon=hackathon, skill=skill),
        "skill": skill,
        "awards": published_awards(hackathon=hackathon),
        "open": hackathon.accepts_submissions(),
        "participant": is_participant(user, hackathon),
        "my_team": team_of(user, hackathon),
        "organiser": is_organiser(user, hackathon.event),
        "judging": user.is_authenticated and assignments_of(user, hackathon).exists(),
    }
    return render(request, "hackathons/hackathon_detail.html", context)


def partner_logo(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_object_or_404(Partner, pk=pk)
    if not partner.logo:
        raise Http404
    content_type = mimetypes.guess_type(partner.logo.name)[0]
    if content_type not in ("image/png", "image/jpeg"):
        raise Http404
    return FileResponse(partner.logo.open("rb"), content_type=content_type)


# --- Teams ---------------------------------------------------------------------------


@login_required
@rate_limited("hackathon_team")
def team_create(request: HttpRequest, slug: str) -> HttpResponse:
    hackathon = _hackathon(request, slug)
    if team_of(request.user, hackathon):
        return redirect("hackathons:my_team", slug=slug)
    form = TeamForm(request.POST or None, hackathon=hackathon)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_create(hackathon=hackathon, user=request.user, **form.cleaned_data)
        except services.HackathonRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request, _("Your team is created. Invite your teammates with its link.")
            )
            return redirect("hackathons:my_team", slug=slug)
    return render(
        request,
        "hackathons/team_form.html",
        {
            "hackathon": hackathon,
            "form": form,
            "participant": is_participant(request.user, hackathon),
        },
    )


@login_required
def my_team(request: HttpRequest, slug: str) -> HttpResponse:
    hackathon = _hackathon(request, slug)
    team = team_of(request.user, hackathon)
    if team is None:
        raise Http404
    form = TeamForm(request.POST or None, instance=team, hackathon=hackathon)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_update(team=team, user=request.user, **form.cleaned_data)
        except services.HackathonRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Your team is saved."))
            return redirect("hackathons:my_team", slug=slug)
    invite_url = request.build_absolute_uri(
        reverse("hackathons:join", kwargs={"token": team.invite_token})
    )
    return render(
        request,
        "hackathons/my_team.html",
        {
            "hackathon": hackathon,
            "team": team,
            "form": form,
            "members": team.members.select_related("user"),
            "invite_url": invite_url,
            "submission": Submission.objects.filter(team=team).first(),
            "open": hackathon.accepts_submissions(),
        },
    )


@login_required
@require_POST
def team_invite_renew(request: HttpRequest, slug: str) -> HttpResponse:
    hackathon = _hackathon(request, slug)
    team = team_of(request.user, hackathon) or _not_found()
    services.team_invite_renew(team=team, user=request.user)
    messages.success(request, _("A new invitation link is ready; the old one no longer works."))
    return redirect("hackathons:my_team", slug=slug)


@login_required
@require_POST
def team_leave(request: HttpRequest, slug: str) -> HttpResponse:
    hackathon = _hackathon(request, slug)
    team = team_of(request.user, hackathon) or _not_found()
    services.team_leave(team=team, user=request.user)
    messages.success(request, _("You left the team %(team)s.") % {"team": team.name})
    return redirect("hackathons:detail", slug=slug)


@login_required
def team_join(request: HttpRequest, token: str) -> HttpResponse:
    team = (
        Team.objects.select_related("hackathon__event", "challenge")
        .filter(invite_token=token.replace("\x00", "")[:40])
        .first()
    )
    if team is None:
        return render(request, "hackathons/join.html", {"team": None}, status=404)
    hackathon = team.hackathon
    if request.method == "POST":
        try:
            services.team_join(token=team.invite_token, user=request.user)
        except services.HackathonRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Welcome to the team %(team)s!") % {"team": team.name})
            return redirect("hackathons:my_team", slug=hackathon.event.slug)
    return render(
        request,
        "hackathons/join.html",
        {
            "team": team,
            "hackathon": hackathon,
            "members": team.members.select_related("user"),
            "participant": is_participant(request.user, hackathon),
            "current_team": team_of(request.user, hackathon),
            "full": team.members.count() >= hackathon.team_size_max,
        },
    )


def _not_found():
    raise Http404


@login_required
def skills(request: HttpRequest, slug: str) -> HttpResponse:
    hackathon = _hackathon(request, slug)
    if not is_participant(request.user, hackathon):
        raise Http404
    post = SkillPost.objects.filter(hackathon=hackathon, user=request.user).first()
    form = SkillPostForm(request.POST or None, instance=post)
    if request.method == "POST":
        if request.POST.get("delete"):
            services.skill_post_delete(hackathon=hackathon, user=request.user)
            messages.success(request, _("Your post is removed from the board."))
            return redirect("hackathons:detail", slug=slug)
        if form.is_valid():
            services.skill_post_save(hackathon=hackathon, user=request.user, **form.cleaned_data)
            messages.success(request, _("Your skills are on the board."))
            return redirect(reverse("hackathons:detail", args=[slug]) + "#board")
    return render(
        request, "hackathons/skills_form.html", {"hackathon": hackathon, "form": form, "post": post}
    )


# --- Submission ---------------------------------------------------------------------------


@login_required
def submission_edit(request: HttpRequest, slug: str) -> HttpResponse:
    hackathon = _hackathon(request, slug)
    team = team_of(request.user, hackathon) or _not_found()
    submission = Submission.objects.filter(team=team).first()
    form = SubmissionForm(
        request.POST or None,
        request.FILES or None,
        instance=submission,
        hackathon=hackathon,
        initial={} if submission else {"challenge": team.challenge_id},
    )
    open_now = hackathon.accepts_submissions()
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.submission_save(team=team, user=request.user, files=data.pop("files"), **data)
        except services.HackathonRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request, _("Your submission is saved. You can change it until the deadline.")
            )
            return redirect("hackathons:submission", slug=slug)
    return render(
        request,
        "hackathons/submission_form.html",
        {
            "hackathon": hackathon,
            "team": team,
            "form": form,
            "submission": submission,
            "files": submission.files.all() if submission else [],
            "open": open_now,
            "closed_message": "" if open_now else services.deadline_passed_message(hackathon),
        },
    )


@login_required
@require_POST
def submission_file_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    hackathon = _hackathon(request, slug)
    file = get_object_or_404(
        SubmissionFile.objects.select_related("submission__team", "submission__hackathon"),
        pk=pk,
        submission__hackathon=hackathon,
        submission__team__members__user=request.user,
    )
    try:
        services.submission_file_delete(file=file, user=request.user)
    except services.HackathonRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The file is removed."))
    return redirect("hackathons:submission", slug=slug)


@login_required
def submission_file(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A submission's file, for the team, the jurors assigned to it and the organisers;
    anyone else gets a 404. Sent as an attachment, never shown in the site's pages."""
    hackathon = _hackathon(request, slug)
    file = get_object_or_404(
        SubmissionFile.objects.select_related("submission__team", "submission__hackathon__event"),
        pk=pk,
        submission__hackathon=hackathon,
    )
    if not file_readable_by(request.user, file):
        raise Http404
    return private_file_response(file.file, download_name=file.name)


# --- Jury -------------------------------------------------------------------------------------


@login_required
def jury(request: HttpRequest, slug: str) -> HttpResponse:
    hackathon = _hackathon(request, slug)
    assignments = list(assignments_of(request.user, hackathon))
    if not assignments:
        raise Http404
    return render(
        request, "hackathons/jury.html", {"hackathon": hackathon, "assignments": assignments}
    )


@login_required
def score(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    hackathon = _hackathon(request, slug)
    assignment = get_object_or_404(assignments_of(request.user, hackathon), pk=pk)
    submission = assignment.submission
    criteria = list(hackathon.criteria.all())
    mine = {s.criterion_id: s.value for s in assignment.scores.all()}
    form = ScoreForm(
        request.POST or None,
        criteria=criteria,
        initial={"comment": assignment.comment, **{f"criterion_{k}": v for k, v in mine.items()}},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.scores_submit(
                assignment=assignment,
                juror=request.user,
                values=form.values(),
                comment=form.cleaned_data["comment"],
            )
        except services.HackathonRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Your scores are saved."))
            return redirect("hackathons:score", slug=slug, pk=pk)
    others = []
    if assignment.submitted_at is not None:
        # Only once their own scores are in do jurors see the others'.
        others = list(
            Assignment.objects.filter(submission=submission, submitted_at__isnull=False)
            .exclude(pk=assignment.pk)
            .select_related("juror")
            .prefetch_related("scores__criterion")
        )
    return render(
        request,
        "hackathons/score.html",
        {
            "hackathon": hackathon,
            "assignment": assignment,
            "submission": submission,
            "files": submission.files.all(),
            "form": form,
            "others": others,
            "published": hackathon.results_published_at is not None,
        },
    )


# --- The organiser ------------------------------------------------------------------------------


@login_required
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    hackathon = _organised(request, slug)
    return render(
        request,
        "hackathons/manage.html",
        {
            "hackathon": hackathon,
            "criteria": list(hackathon.criteria.all()),
            "rows": ranking(hackathon=hackathon),
            "jurors": hackathon.jurors.all(),
            "assign_form": AssignForm(),
            "publish_form": PublishForm(hackathon=hackathon),
            "awards": published_awards(hackathon=hackathon),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def manage_assign(request: HttpRequest, slug: str) -> HttpResponse:
    hackathon = _organised(request, slug)
    form = AssignForm(request.POST)
    if form.is_valid():
        per = form.cleaned_data["per_submission"] if form.cleaned_data["mode"] == "split" else None
        added = services.jurors_assign(hackathon=hackathon, by=request.user, per_submission=per)
        messages.success(request, _("Jury assignments added: %(count)s.") % {"count": added})
    else:
        messages.error(request, _("Choose how to assign the jurors."))
    return redirect("hackathons:manage", slug=slug)


@login_required
@require_POST
def manage_publish(request: HttpRequest, slug: str) -> HttpResponse:
    hackathon = _organised(request, slug)
    form = PublishForm(request.POST, hackathon=hackathon)
    if form.is_valid():
        try:
            services.winners_publish(
                hackathon=hackathon,
                by=request.user,
                overall=form.cleaned_data.get("overall"),
                per_challenge=form.per_challenge(),
            )
        except services.HackathonRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("The winners are published and the teams told."))
    else:
        messages.error(request, _("Choose the winners among the submissions."))
    return redirect("hackathons:manage", slug=slug)
