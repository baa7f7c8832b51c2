"""The coordinator's overview of members, needs and routing health, with CSV exports."""

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.decorators import coordinator_required
from accounts.privacy import personal_data_log
from common.csv import csv_response
from common.forms import PeriodDateField

from . import overview as selectors
from .overview import Period


class PeriodForm(forms.Form):
    since = PeriodDateField(label=_("From"))
    until = PeriodDateField(label=_("Until"))

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date is before the start date."))
        return data


def _period(request: HttpRequest) -> tuple[PeriodForm, Period]:
    form = PeriodForm(request.GET or None)
    if form.is_valid():
        return form, Period(since=form.cleaned_data["since"], until=form.cleaned_data["until"])
    return form, Period()


@coordinator_required
def overview(request: HttpRequest) -> HttpResponse:
    form, period = _period(request)
    members = selectors.members_by_incubator()
    used_sectors = members.used_sector_indexes()
    context = {
        "form": form,
        "period": period,
        "query": request.GET.urlencode(),
        "members": members,
        "member_sectors": [members.sectors[i][1] for i in used_sectors],
        "member_rows": [(row, [row.by_sector[i] for i in used_sectors]) for row in members.rows],
        "member_sector_totals": [members.total_by_sector[i] for i in used_sectors],
        "matrix": selectors.needs_matrix(period=period),
        "health": [
            (
                item,
                selectors.duration_readable(item.median_to_acknowledge),
                selectors.duration_readable(item.median_to_resolve),
            )
            for item in selectors.routing_health(period=period)
        ],
    }
    return render(request, "needs/coordinator_overview.html", context)


TABLES = {
    "members": lambda period: selectors.members_table(selectors.members_by_incubator()),
    "needs": lambda period: selectors.needs_table(selectors.needs_matrix(period=period)),
    "routing": lambda period: selectors.routing_table(selectors.routing_health(period=period)),
}


@coordinator_required
def overview_csv(request: HttpRequest, table: str) -> HttpResponse:
    if table not in TABLES:
        raise Http404
    _form, period = _period(request)
    header, rows = TABLES[table](period)
    personal_data_log(
        kind="export",
        actor=request.user,
        what=f"needs overview CSV: {table} {period.since or ''}..{period.until or ''}",
    )
    return csv_response(
        filename=f"hub-eu-{table}-{timezone.localdate().isoformat()}.csv", header=header, rows=rows
    )
