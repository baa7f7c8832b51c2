"""Survey results: the coordinator's (every agency) and each agency's own."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import Role, active_advisor_or_404, coordinator_required, role_required
from accounts.privacy import personal_data_log
from common.csv import csv_response
from incubators.models import Advisor
from incubators.selectors import directory_labels

from . import selectors
from .forms_results import ResultsForm
from .models import Suggestion
from .services import suggestion_mark_handled


def _group_labels(group: str, labels: dict) -> dict[int, str]:
    if group == "incubator":
        return labels["incubators"]
    if group == "advisor":
        return {a.pk: str(a.user) for a in Advisor.objects.select_related("user")}
    return {pk: name for pk, (name, _color) in labels["agencies"].items()}


def _form(request: HttpRequest, *, labels: dict, for_agency: bool) -> ResultsForm:
    return ResultsForm(
        request.GET or None,
        surveys=selectors.survey_choices(),
        agencies=[(pk, name) for pk, (name, _color) in labels["agencies"].items()],
        incubators=sorted(labels["incubators"].items(), key=lambda item: item[1]),
        for_agency=for_agency,
    )


def _page(request: HttpRequest, *, agency=None) -> HttpResponse:
    """The results of every agency, or of `agency` only (its staff's page)."""
    labels = directory_labels()  # read once: the cache is a file or Redis away
    form = _form(request, labels=labels, for_agency=agency is not None)
    filters = form.filters(agency=agency.pk if agency else None)
    group_labels = _group_labels(filters.group, labels)
    total, rows = selectors.results(filters=filters, labels=group_labels)
    handled = (
        form.cleaned_data.get("handled") if form.is_bound and form.is_valid() else ""
    ) or "open"
    export = request.GET.get("format")
    if export in ("csv", "suggestions-csv"):
        personal_data_log(
            kind="export",
            actor=request.user,
            what=f"survey results {export}: {request.GET.urlencode()}"[:300],
        )
    if export == "csv":
        return _csv(total, rows, group=filters.group)
    if export == "suggestions-csv":
        return _suggestions_csv(filters, handled=handled, labels=labels)
    chart = {
        "labels": [row.label for row in rows if not row.hidden],
        "satisfaction": [row.satisfaction for row in rows if not row.hidden],
        "distribution": [row.distribution for row in rows if not row.hidden],
    }
    return render(
        request,
        "surveys/results.html",
        {
            "form": form,
            "agency": agency,
            "total": total,
            "rows": rows,
            "group": filters.group,
            "chart": chart,
            "chart_text": {"satisfaction": _("Average satisfaction"), "rated": _("Rated")},
            "suggestions": _suggestions_shown(
                selectors.suggestions(filters=filters, handled=handled), labels=labels
            ),
            "min_group": selectors.MIN_GROUP,
            "shown": selectors.SUGGESTIONS_SHOWN,
            "query": request.GET.urlencode(),
        },
    )


def _suggestions_shown(suggestions, *, labels: dict) -> list[Suggestion]:
    """The list, each with its agency's and incubator's names (from the directory's
    cached labels), its dates in words, and the address of its "handled" button: one
    reverse() for them all, since the addresses differ by the suggestion's id only."""
    marker = "987654321"
    address = reverse("surveys:suggestion_handle", args=[int(marker)])
    suggestions = list(suggestions)
    days: dict = {}  # a date's words once per day, not once per suggestion

    def day(moment):
        local = timezone.localdate(moment)
        if local not in days:
            days[local] = date_format(local, "j F Y")
        return days[local]

    for suggestion in suggestions:
        suggestion.agency_name = labels["agencies"].get(suggestion.agency_id, ("", ""))[0]
        suggestion.incubator_name = labels["incubators"].get(suggestion.incubator_id, "")
        details = [suggestion.agency_name, suggestion.incubator_name, day(suggestion.created_at)]
        if suggestion.handled_at:
            details.append(
                _("handled by %(who)s on %(when)s")
                % {"who": suggestion.handled_by, "when": day(suggestion.handled_at)}
            )
        suggestion.details = " · ".join(details)  # one line of text under the suggestion
        suggestion.handle_url = address.replace(marker, str(suggestion.pk))
    return suggestions


def _csv(total, rows, *, group: str) -> HttpResponse:
    header = (
        [group, "invitations", "responses", "response_rate_pct", "satisfaction_avg"]
        + [f"rated_{n}" for n in range(1, 6)]
        + ["nps", "promoters", "passives", "detractors"]
    )
    lines = []
    for row in [*rows, total]:
        label = row.label if row is not total else _("Total")
        values = [label, row.invitations, row.responses, row.rate if row.rate is not None else ""]
        if row.hidden:
            values += [""] * 10
        else:
            values += [row.satisfaction if row.satisfaction is not None else ""]
            values += row.distribution
            values += [row.nps if row.nps is not None else "", row.promoters, row.passives]
            values += [row.detractors]
        lines.append(values)
    return csv_response(filename="survey-results.csv", header=header, rows=lines)


def _suggestions_csv(filters, *, handled: str, labels: dict) -> HttpResponse:
    return csv_response(
        filename="survey-suggestions.csv",
        header=["received", "agency", "incubator", "suggestion", "handled", "handled_by"],
        rows=(
            [
                timezone.localtime(s.created_at).strftime("%Y-%m-%d %H:%M"),
                s.agency_name,
                s.incubator_name,
                s.text,
                timezone.localtime(s.handled_at).strftime("%Y-%m-%d") if s.handled_at else "",
                s.handled_by or "",
            ]
            for s in _suggestions_shown(
                selectors.suggestions(filters=filters, handled=handled, limit=None), labels=labels
            )
        ),
    )


@coordinator_required
def coordinator_results(request: HttpRequest) -> HttpResponse:
    return _page(request)


@role_required(Role.ADVISOR)
def agency_results(request: HttpRequest) -> HttpResponse:
    advisor = active_advisor_or_404(request)
    return _page(request, agency=advisor.agency)


@require_POST
def suggestion_handle(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a suggestion handled (or not): the coordinator any, agency staff their own."""
    if not request.user.is_authenticated:
        raise Http404
    if request.user.is_coordinator:
        suggestion = get_object_or_404(Suggestion, pk=pk)
        back = "surveys:coordinator_results"
    else:
        advisor = active_advisor_or_404(request)
        suggestion = get_object_or_404(Suggestion, pk=pk, agency=advisor.agency)
        back = "surveys:agency_results"
    handled = request.POST.get("handled") != "0"
    suggestion_mark_handled(suggestion=suggestion, by=request.user, handled=handled)
    messages.success(
        request, _("Suggestion marked as handled.") if handled else _("Suggestion reopened.")
    )
    url = redirect(back).url
    query = request.POST.get("query", "")
    return redirect(f"{url}?{query}" if query else url)
