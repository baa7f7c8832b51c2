"""Writes on test-before-invest requests: asking (a request and its routed need, in one
transaction) and recording the outcome (through needs' services for the routed need's
status, so the entrepreneur is told as for any need)."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from incubators.models import Agency, Company, NeedCategory
from needs.models import Need, RoutedNeed
from needs.services import NeedRefused, need_create, routed_need_decline, routed_need_resolve

from .models import TestRequest
from .reference_data import CATEGORY_SLUG

Timeline = TestRequest.Timeline
Outcome = TestRequest.Outcome

# How urgent the routed need is, from the entrepreneur's timeline.
URGENCY = {
    Timeline.MONTH: Need.Urgency.HIGH,
    Timeline.QUARTER: Need.Urgency.NORMAL,
    Timeline.HALF_YEAR: Need.Urgency.LOW,
    Timeline.OPEN: Need.Urgency.LOW,
}


@dataclass
class RequestRefused(Exception):
    """A step that cannot be taken; `message` is for the person who tried."""

    message: str

    def __str__(self) -> str:
        return self.message


def request_description(request: TestRequest) -> str:
    """The need's text: the structured fields, readable in the agency's inbox (in the
    language active when the entrepreneur asked)."""
    lines = [
        _("Test-before-invest request: %(technology)s") % {"technology": request.technology_label},
        _("Company: %(company)s") % {"company": request.company_name},
        _("Timeline: %(timeline)s") % {"timeline": request.get_timeline_display()},
        "",
        _("What we want to learn:"),
        request.goal.strip(),
        "",
        _("Data available (%(sensitivity)s):")
        % {"sensitivity": request.get_data_sensitivity_display()},
        request.data_available.strip(),
    ]
    return "\n".join(lines)[:3000]


@transaction.atomic
def test_request_create(
    *,
    user: User,
    technology: str,
    goal: str,
    data_available: str,
    data_sensitivity: str,
    timeline: str,
    company: Company | None = None,
    company_name: str = "",
    technology_other: str = "",
    consent: bool,
) -> TestRequest:
    """Record the request and its need, routed by the rules (to the EDIH by default), so
    it lands in that agency's needs inbox like any need."""
    if not consent:
        raise RequestRefused(_("Without your consent the EDIH cannot receive your request."))
    if company is not None and not company.people.filter(pk=user.pk).exists():
        raise RequestRefused(_("Choose one of your companies."))
    name = (company.name if company is not None else company_name).strip()
    if not name:
        raise RequestRefused(_("Name your company."))
    if technology == TestRequest.Technology.OTHER and not technology_other.strip():
        raise RequestRefused(_("Say which technology you want to test."))
    category = NeedCategory.objects.filter(slug=CATEGORY_SLUG).first()
    if category is None:
        raise RequestRefused(_("Test-before-invest requests are closed for now."))
    request = TestRequest(
        user=user,
        company=company,
        company_name=name[:200],
        technology=technology,
        technology_other=technology_other.strip() if technology == "other" else "",
        goal=goal.strip(),
        data_available=data_available.strip(),
        data_sensitivity=data_sensitivity,
        timeline=timeline,
    )
    request.need = need_create(
        user=user,
        category=category,
        description=request_description(request),
        urgency=URGENCY.get(timeline, Need.Urgency.NORMAL),
        consent=True,
    )
    request.save()
    return request


@transaction.atomic
def test_request_record_outcome(
    *, test_request: TestRequest, agency: Agency, by: User, outcome: str, note: str = ""
) -> TestRequest:
    """The agency records what came of the request. Its open routed need is resolved
    (test done, referred) or declined (not feasible, with the reason) through needs'
    services, which tell the entrepreneur; a need already closed in the inbox keeps its
    status. An outcome is recorded once."""
    if outcome not in (Outcome.TEST_DONE, Outcome.NOT_FEASIBLE, Outcome.REFERRED):
        raise RequestRefused(_("Choose an outcome."))
    note = note.strip()
    if outcome == Outcome.NOT_FEASIBLE and not note:
        raise RequestRefused(_("Say why the test is not feasible: the entrepreneur will read it."))
    now = timezone.now()
    updated = TestRequest.objects.filter(pk=test_request.pk, outcome="").update(
        outcome=outcome, outcome_note=note, outcome_at=now, outcome_by=by
    )
    if not updated:
        raise RequestRefused(_("The outcome of this request is already recorded."))
    routed = RoutedNeed.objects.filter(
        need_id=test_request.need_id, agency=agency, status__in=RoutedNeed.OPEN_STATUSES
    ).first()
    if routed is not None:
        text = note or str(Outcome(outcome).label)
        try:
            if outcome == Outcome.NOT_FEASIBLE:
                routed_need_decline(routed=routed, by=by, note=text)
            else:
                routed_need_resolve(routed=routed, by=by, note=text)
        except NeedRefused as exc:
            raise RequestRefused(exc.message) from exc
    test_request.refresh_from_db()
    return test_request
