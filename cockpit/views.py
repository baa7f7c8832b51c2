"""The coordinator's cockpit: supply against demand per place, agency and month."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.decorators import coordinator_required
from accounts.privacy import personal_data_log
from common.csv import csv_response
from incubators.selectors import directory_labels

from . import selectors
from .forms import CockpitForm


@coordinator_required
def dashboard(request: HttpRequest) -> HttpResponse:
    labels = directory_labels()
    form = CockpitForm(
        request.GET or None,
        agencies=[(pk, name) for pk, (name, _color) in labels["agencies"].items()],
        incubators=sorted(labels["incubators"].items(), key=lambda item: item[1]),
    )
    filters = form.filters()
    total, rows = selectors.supply_and_demand(filters=filters, labels=labels)
    if request.GET.get("format") == "csv":
        personal_data_log(
            kind="export", actor=request.user, what=f"cockpit csv: {request.GET.urlencode()}"[:300]
        )
        return _csv(total, rows)
    months = selectors.by_month(rows)
    chart = {
        "labels": [date_format(m.month, "YEAR_MONTH_FORMAT") for m in months],
        "offered": [m.hours for m in months],
        "occupancy": [m.occupancy for m in months],
    }
    return render(
        request,
        "cockpit/dashboard.html",
        {
            "form": form,
            "filters": filters,
            "total": total,
            "rows": rows,
            "chart": chart,
            "chart_text": {"offered": _("Hours offered"), "occupancy": _("Occupancy (%)")},
            "min_group": selectors.MIN_GROUP,
            "query": request.GET.urlencode(),
        },
    )


def _csv(total, rows) -> HttpResponse:
    header = [
        "month",
        "incubator",
        "agency",
        "slots",
        "hours_offered",
        "places",
        "places_taken",
        "occupancy_pct",
        "bookings",
        "attended",
        "no_shows",
        "cancelled_late",
        "booked_days_ahead_avg",
        "needs_routed",
        "survey_responses",
        "satisfaction_avg",
    ]
    lines = []
    for row in [*rows, total]:
        lines.append(
            [
                row.month.strftime("%Y-%m") if row.month else _("Total"),
                row.incubator,
                row.agency,
                row.slots,
                row.hours,
                row.places,
                row.taken,
                "" if row.occupancy is None else row.occupancy,
                row.bookings,
                row.attended,
                row.no_shows,
                row.cancelled_late,
                "" if row.lead_days is None else row.lead_days,
                row.needs,
                row.responses,
                "" if row.satisfaction is None else row.satisfaction,
            ]
        )
    return csv_response(filename="supply-and-demand.csv", header=header, rows=lines)
