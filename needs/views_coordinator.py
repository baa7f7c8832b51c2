"""The coordinator's overview of members, needs and routing health, with CSV exports."""

import csv
from collections.abc import Callable
from functools import wraps

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import overview as selectors
from .overview import Period


def coordinator_required(view: Callable) -> Callable:
    """Only the coordinator (an active staff user with that role); anyone else gets a 404."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_coordinator:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


class PeriodForm(forms.Form):
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

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

# A spreadsheet opens a cell starting with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return f"'{value}"
    return value


@coordinator_required
def overview_csv(request: HttpRequest, table: str) -> HttpResponse:
    if table not in TABLES:
        raise Http404
    _form, period = _period(request)
    header, rows = TABLES[table](period)
    filename = f"hub-eu-{table}-{timezone.localdate().isoformat()}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # the BOM: Excel then reads the file as UTF-8, accents intact
    writer = csv.writer(response)
    writer.writerow([str(h) for h in header])
    writer.writerows([_cell(value) for value in row] for row in rows)
    return response
