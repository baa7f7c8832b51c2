from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import active_advisor_or_404, role_required
from accounts.models import Role
from common.ratelimit import rate_limited
from incubators.selectors import directory_labels
from permanences.models import Slot
from permanences.services import BookingRefused

from . import services
from .forms import (
    AnswerForm,
    AssignForm,
    InboxFilterForm,
    NeedForm,
    NoteForm,
    OfferBookingForm,
    SlotOfferForm,
    TransferForm,
)
from .models import Need, RoutedNeed, SlotOffer
from .selectors import (
    INBOX_PAGE,
    OFFER_MAX_SLOTS,
    entrepreneur_history,
    inbox_counts,
    inbox_cursor,
    inbox_item,
    inbox_rows,
    needs_for_user,
    offer_choices,
    offerable_slots,
    offers_by_routing,
    slot_is_bookable,
    slot_offer_rows,
)

# --- The entrepreneur --------------------------------------------------------------------


@login_required
def need_list(request: HttpRequest) -> HttpResponse:
    return render(request, "needs/need_list.html", {"needs": needs_for_user(user=request.user)})


@login_required
@rate_limited("need")
def need_create(request: HttpRequest) -> HttpResponse:
    asking = request.GET.get("ask") == "1" or request.POST.get("ask") == "1"
    form = NeedForm(request.POST or None, initial={"category": request.GET.get("category")})
    if request.method == "POST" and form.is_valid():
        need = services.need_create(
            user=request.user,
            source=Need.Source.ASK if asking else Need.Source.PROFILE,
            **form.cleaned_data,
        )
        agencies = ", ".join(r.agency.short_name for r in need.routings.select_related("agency"))
        if agencies:
            messages.success(
                request, _("Your need was sent to %(agencies)s.") % {"agencies": agencies}
            )
        else:
            messages.info(request, _("Your need is recorded; the coordinator will route it."))
        return redirect(need)
    return render(request, "needs/need_form.html", {"form": form, "asking": asking})


def _own_need(request: HttpRequest, pk: int) -> Need:
    return get_object_or_404(needs_for_user(user=request.user), pk=pk)


@login_required
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = _own_need(request, pk)
    routings = list(need.routings.all())
    offers_by_routing(routings=routings)
    return render(
        request,
        "needs/need_detail.html",
        {"need": need, "routings": routings, "reply_form": AnswerForm()},
    )


@login_required
@rate_limited("booking")
def offer_book(request: HttpRequest, pk: int, offer_pk: int, slot_pk: int) -> HttpResponse:
    """The one-click link of the offer's email: the slot, the topic from the need, the
    language of the meeting, one button. Only the need's owner gets this far (404)."""
    need = _own_need(request, pk)
    offer = get_object_or_404(
        SlotOffer.objects.select_related("routed__agency", "taken_booking"),
        pk=offer_pk,
        routed__need=need,
        routed__shared=True,
    )
    slot = get_object_or_404(
        offer.slots.select_related("agency", "incubator", "schedule").prefetch_related(
            "schedule__languages"
        ),
        pk=slot_pk,
    )
    if offer.is_taken:
        messages.info(request, _("You have already booked one of the offered slots."))
        return redirect(need)
    form = OfferBookingForm(
        request.POST or None,
        slot=slot,
        user_language=request.user.language,
        initial={"topic": need.description},
    )
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            booking = services.slot_offer_take(
                offer=offer, slot=slot, user=request.user, **form.cleaned_data
            )
        except BookingRefused as exc:
            refusal = exc
        except services.NeedRefused as exc:
            messages.error(request, str(exc))
            return redirect(need)
        else:
            messages.success(request, _("Your booking is confirmed."))
            return redirect("permanences:booking_detail", pk=booking.pk)
    elif request.method == "GET" and not slot_is_bookable(slot, timezone.now()):
        if slot.status == Slot.Status.OPEN and slot.booked_count >= slot.capacity:
            refusal = BookingRefused(
                "taken", _("This slot was just taken by someone else. Please choose another one.")
            )
        else:
            refusal = BookingRefused("unavailable", _("This slot is no longer available."))
    others = [
        row
        for row in slot_offer_rows(offer=offer, now=timezone.now())
        if row["state"] == "open" and row["slot"].pk != slot.pk
    ]
    return render(
        request,
        "needs/offer_book.html",
        {
            "need": need,
            "offer": offer,
            "slot": slot,
            "form": form,
            "refusal": refusal,
            "others": others,
        },
        status=409 if refusal and refusal.code == "taken" else 200,
    )


@require_POST
@login_required
def need_consent(request: HttpRequest, pk: int) -> HttpResponse:
    need = _own_need(request, pk)
    consent = request.POST.get("consent") == "1"
    services.need_set_consent(need=need, consent=consent, by=request.user)
    if consent:
        messages.success(request, _("Your need is shared again with the agencies."))
    else:
        messages.success(
            request, _("Your need is no longer shared: the agencies no longer see it.")
        )
    return redirect(need)


@require_POST
@login_required
@rate_limited("message")
def need_reply(request: HttpRequest, pk: int, routed_pk: int) -> HttpResponse:
    need = _own_need(request, pk)
    routed = get_object_or_404(RoutedNeed, pk=routed_pk, need=need)
    form = AnswerForm(request.POST)
    if form.is_valid() and need.consent:
        services.need_reply(routed=routed, by=request.user, body=form.cleaned_data["body"])
        messages.success(
            request,
            _("Your message was sent to %(agency)s.") % {"agency": routed.agency.short_name},
        )
    else:
        messages.error(request, _("Write a message first."))
    return redirect(need)


# --- The agency's inbox ------------------------------------------------------------------


@role_required(Role.ADVISOR)
def inbox(request: HttpRequest) -> HttpResponse:
    agency = active_advisor_or_404(request).agency
    form = InboxFilterForm(request.GET or None)
    filters = form.filters()
    items = inbox_rows(agency=agency, filters=filters, limit=INBOX_PAGE + 1)
    older_query = None
    if len(items) > INBOX_PAGE:
        items = items[:INBOX_PAGE]
        query = request.GET.copy()
        query["before"] = inbox_cursor(items[-1])
        older_query = query.urlencode()
    choices = directory_labels()["choices"]
    context = {
        "agency": agency,
        "form": form,
        "items": items,
        "older_query": older_query,
        "counts": inbox_counts(agency=agency),
        "now": timezone.now(),
        # "Open" is the select's empty choice (the default), so it is not listed again.
        "status_choices": [
            (str(v), str(label)) for v, label in form.fields["status"].choices if v != "open"
        ],
        "category_choices": choices["category"],
        "incubator_choices": choices["incubator"],
    }
    template = "needs/_inbox_results.html" if request.htmx else "needs/inbox.html"
    return render(request, template, context)


def _inbox_item(request: HttpRequest, pk: int) -> RoutedNeed:
    try:
        return inbox_item(agency=active_advisor_or_404(request).agency, pk=pk)
    except RoutedNeed.DoesNotExist as exc:
        raise Http404 from exc


@role_required(Role.ADVISOR)
def inbox_detail(request: HttpRequest, pk: int) -> HttpResponse:
    routed = _inbox_item(request, pk)
    need = routed.need
    offers_by_routing(routings=[routed])
    slots_query = f"agency={routed.agency.slug}&category={need.category.slug}"
    if need.incubator:
        slots_query += f"&incubator={need.incubator.slug}"
    slots = offerable_slots(agency=routed.agency, for_user=need.user)
    return render(
        request,
        "needs/inbox_detail.html",
        {
            "routed": routed,
            "need": need,
            "now": timezone.now(),
            "history": entrepreneur_history(routed=routed),
            # Two forms have a "note": each its own ids, so each label finds its field.
            "note_form": NoteForm(auto_id="id_step_%s"),
            "answer_form": AnswerForm(),
            "transfer_form": TransferForm(agency=routed.agency, auto_id="id_transfer_%s"),
            "assign_form": AssignForm(
                agency=routed.agency, initial={"advisor": routed.assigned_to_id}
            ),
            "slots_query": slots_query,
            "offer_form": SlotOfferForm(slots=slots),
            "offer_choices": offer_choices(slots=slots),
        },
    )


ACTIONS = {
    "acknowledge": services.routed_need_acknowledge,
    "start": services.routed_need_start,
    "resolve": services.routed_need_resolve,
    "decline": services.routed_need_decline,
}


@require_POST
@role_required(Role.ADVISOR)
def inbox_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    routed = _inbox_item(request, pk)
    try:
        if action in ACTIONS:
            form = NoteForm(request.POST)
            note = form.cleaned_data["note"] if form.is_valid() else ""
            ACTIONS[action](routed=routed, by=request.user, note=note)
            messages.success(request, _("Saved."))
        elif action == "answer":
            form = AnswerForm(request.POST)
            if not form.is_valid():
                raise services.NeedRefused(_("Write a message first."))
            services.routed_need_answer(
                routed=routed, by=request.user, body=form.cleaned_data["body"]
            )
            messages.success(
                request, _("Your answer was sent to %(person)s.") % {"person": routed.need.user}
            )
        elif action == "transfer":
            form = TransferForm(request.POST, agency=routed.agency)
            if not form.is_valid():
                raise services.NeedRefused(_("Choose an agency and give a reason."))
            new = services.routed_need_transfer(
                routed=routed,
                to_agency=form.cleaned_data["to_agency"],
                by=request.user,
                reason=form.cleaned_data["note"],
            )
            messages.success(request, _("Transferred to %(agency)s.") % {"agency": new.agency})
            return redirect("needs:inbox")
        elif action == "offer":
            form = SlotOfferForm(
                request.POST, slots=offerable_slots(agency=routed.agency, for_user=routed.need.user)
            )
            if not form.is_valid():
                chosen = request.POST.getlist("slots")
                if 1 <= len(chosen) <= OFFER_MAX_SLOTS and "slots" in form.errors:
                    raise services.NeedRefused(
                        _(
                            "One of these slots is no longer free, or is not your agency's; "
                            "choose again."
                        )
                    )
                raise services.NeedRefused(_("Choose one to three free slots."))
            services.routed_need_offer_slots(
                routed=routed,
                slots=list(form.cleaned_data["slots"]),
                by=request.user,
                message=form.cleaned_data["message"],
            )
            messages.success(
                request,
                _("The slots were offered to %(person)s.") % {"person": routed.need.user},
            )
        elif action == "assign":
            form = AssignForm(request.POST, agency=routed.agency)
            if not form.is_valid():
                raise services.NeedRefused(_("Choose an advisor of this agency."))
            services.routed_need_assign(
                routed=routed, advisor=form.cleaned_data["advisor"], by=request.user
            )
            messages.success(request, _("Saved."))
        else:
            raise Http404
    except services.NeedRefused as exc:
        messages.error(request, str(exc))
    return redirect("needs:inbox_detail", pk=routed.pk)
