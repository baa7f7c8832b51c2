"""The API's endpoints (/api/v1/). Public ones need no token; an agency token reads only
its own agency's data, through the same selectors as the agency's inbox."""

import dataclasses

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from events.selectors import events_upcoming
from incubators.models import Advisor, Agency, Incubator, Service
from needs import services as need_services
from needs.models import NeedMessage, RoutedNeed
from needs.selectors import ROUTED_NEED_RELATED, InboxFilters, inbox_item, inbox_list
from permanences.forms import SlotFilterForm
from permanences.models import Booking
from permanences.selectors import slot_list_upcoming
from permanences.services import BookingRefused, booking_mark_attendance
from surveys.selectors import MIN_GROUP, ResultFilters
from surveys.selectors import results as survey_results

from .delivery import deliveries_resend, endpoint_restart
from .models import WebhookDelivery, WebhookEndpoint
from .permissions import AgencyTokenRequired
from .serializers import (
    AgencySerializer,
    AttendanceSerializer,
    BookingSerializer,
    EventSerializer,
    IncubatorSerializer,
    NeedMessageSerializer,
    NeedStatusChangeSerializer,
    NeedTransferSerializer,
    ResultFiltersSerializer,
    RoutedNeedSerializer,
    SlotSerializer,
    SurveyResultsSerializer,
    WebhookDeliverySerializer,
    WebhookEndpointCreatedSerializer,
    WebhookEndpointSerializer,
)
from .services import webhook_ping, webhook_register


class Conflict(APIException):
    """The service refused the change (the need moved on, a rule said no): 409 with the
    service's own sentence, in the caller's language."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


PUBLIC = {"tags": ["public"], "auth": []}


class SoonestFirst(CursorPagination):
    ordering = ("starts_at", "pk")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class NewestFirst(CursorPagination):
    ordering = ("-created_at", "-pk")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def _active_agencies() -> QuerySet[Agency]:
    services = Service.objects.filter(is_active=True).prefetch_related("categories")
    return (
        Agency.objects.filter(is_active=True)
        .prefetch_related(Prefetch("services", queryset=services, to_attr="active_services"))
        .order_by("order", "slug")
    )


@extend_schema(**PUBLIC)
class AgencyList(generics.ListAPIView):
    """The agencies and the services they offer."""

    serializer_class = AgencySerializer
    pagination_class = None
    queryset = _active_agencies()


@extend_schema(**PUBLIC)
class AgencyDetail(generics.RetrieveAPIView):
    serializer_class = AgencySerializer
    lookup_field = "slug"
    queryset = _active_agencies()


@extend_schema(**PUBLIC)
class IncubatorList(generics.ListAPIView):
    """The incubators and coworking spaces where agencies hold permanences."""

    serializer_class = IncubatorSerializer
    pagination_class = None
    queryset = Incubator.objects.filter(is_active=True).order_by("name")


SLOT_FILTERS = [
    OpenApiParameter("incubator", str, description="An incubator's slug."),
    OpenApiParameter("agency", str, description="An agency's slug."),
    OpenApiParameter("category", str, description="A topic's slug."),
    OpenApiParameter("language", str, description="A language code (fr, nl, en…)."),
    OpenApiParameter("date_from", OpenApiTypes.DATE),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="Two weeks on by default."),
]


@extend_schema(**PUBLIC, parameters=SLOT_FILTERS)
class SlotList(generics.ListAPIView):
    """Free slots that can be booked now, soonest first, with the slot list's filters."""

    serializer_class = SlotSerializer
    pagination_class = SoonestFirst

    def get_queryset(self) -> QuerySet:
        form = SlotFilterForm(self.request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors.get_json_data())
        filters = dataclasses.replace(form.filters(), after=None)  # the cursor pages instead
        return slot_list_upcoming(filters=filters).prefetch_related("schedule__languages")


@extend_schema(**PUBLIC)
class EventList(generics.ListAPIView):
    """Published events not over yet, soonest first."""

    serializer_class = EventSerializer
    pagination_class = SoonestFirst

    def get_queryset(self) -> QuerySet:
        return events_upcoming()


NEED_FILTERS = [
    OpenApiParameter(
        "status",
        str,
        enum=["open", "all", *RoutedNeed.Status.values],
        description="open (the default): new, acknowledged or in progress.",
    ),
    OpenApiParameter("category", str, description="A topic's slug."),
    OpenApiParameter("incubator", str, description="An incubator's slug."),
    OpenApiParameter("overdue", bool, description="Only needs not acknowledged in time."),
]


@extend_schema(tags=["agency"], parameters=NEED_FILTERS)
class NeedList(generics.ListAPIView):
    """The needs routed to the token's agency and still shared with it, newest first."""

    serializer_class = RoutedNeedSerializer
    permission_classes = [AgencyTokenRequired]
    pagination_class = NewestFirst

    def get_queryset(self) -> QuerySet[RoutedNeed]:
        params = self.request.query_params
        status = params.get("status", "open")
        if status not in ("open", "all", *RoutedNeed.Status.values):
            raise ValidationError({"status": [_("Not a status of a routed need.")]})
        overdue = params.get("overdue", "false").lower()
        if overdue not in ("true", "false", "1", "0"):
            raise ValidationError({"overdue": [_("Give true or false.")]})
        filters = InboxFilters(
            status=status,
            category=params.get("category", ""),
            incubator=params.get("incubator", ""),
            overdue=overdue in ("true", "1"),
        )
        agency = self.request.auth.agency
        return inbox_list(agency=agency, filters=filters).select_related(*ROUTED_NEED_RELATED)


def _own_routed(request: Request, pk: int) -> RoutedNeed:
    try:
        return inbox_item(agency=request.auth.agency, pk=int(pk))
    except RoutedNeed.DoesNotExist:
        raise NotFound() from None


def _as_advisor(request: Request):
    """Who a change made with this token is recorded as (the token's advisor)."""
    return request.auth.acts_as.user


@extend_schema(tags=["agency"])
class NeedDetail(generics.RetrieveAPIView):
    """One need routed to the token's agency; 404 for any other."""

    serializer_class = RoutedNeedSerializer
    permission_classes = [AgencyTokenRequired]

    def get_object(self) -> RoutedNeed:
        return _own_routed(self.request, self.kwargs["pk"])


@extend_schema(
    tags=["agency"],
    request=NeedStatusChangeSerializer,
    responses={200: RoutedNeedSerializer, 409: None},
)
class NeedStatusChange(generics.GenericAPIView):
    """Move the need on (acknowledged, in progress, resolved, declined), with a note the
    entrepreneur reads; declining needs one. Write scope. The entrepreneur is told, as
    when an advisor does it in the inbox."""

    serializer_class = NeedStatusChangeSerializer
    permission_classes = [AgencyTokenRequired]
    moves = {
        RoutedNeed.Status.ACKNOWLEDGED: need_services.routed_need_acknowledge,
        RoutedNeed.Status.IN_PROGRESS: need_services.routed_need_start,
        RoutedNeed.Status.RESOLVED: need_services.routed_need_resolve,
        RoutedNeed.Status.DECLINED: need_services.routed_need_decline,
    }

    def post(self, request: Request, pk: int) -> Response:
        routed = _own_routed(request, pk)
        change = self.get_serializer(data=request.data)
        change.is_valid(raise_exception=True)
        move = self.moves[change.validated_data["status"]]
        try:
            move(routed=routed, by=_as_advisor(request), note=change.validated_data["note"])
        except need_services.NeedRefused as exc:
            raise Conflict(exc.message) from None
        return Response(RoutedNeedSerializer(_own_routed(request, pk)).data)


@extend_schema(tags=["agency"])
class NeedMessages(generics.ListCreateAPIView):
    """The messages between the agency and the entrepreneur about the need, oldest first;
    POST writes to the entrepreneur (write scope), which acknowledges a new need."""

    serializer_class = NeedMessageSerializer
    permission_classes = [AgencyTokenRequired]
    pagination_class = None

    def get_queryset(self) -> QuerySet[NeedMessage]:
        routed = _own_routed(self.request, self.kwargs["pk"])
        return NeedMessage.objects.filter(routed=routed).order_by("created_at", "pk")

    def create(self, request: Request, *args, **kwargs) -> Response:
        routed = _own_routed(request, kwargs["pk"])
        message = self.get_serializer(data=request.data)
        message.is_valid(raise_exception=True)
        try:
            sent = need_services.routed_need_answer(
                routed=routed, by=_as_advisor(request), body=message.validated_data["body"]
            )
        except need_services.NeedRefused as exc:
            raise Conflict(exc.message) from None
        return Response(self.get_serializer(sent).data, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=["agency"],
    request=NeedTransferSerializer,
    responses={200: RoutedNeedSerializer, 409: None},
)
class NeedTransfer(generics.GenericAPIView):
    """Hand the need on to another agency with a reason (write scope). Answers the need
    as this agency now sees it: transferred."""

    serializer_class = NeedTransferSerializer
    permission_classes = [AgencyTokenRequired]

    def post(self, request: Request, pk: int) -> Response:
        routed = _own_routed(request, pk)
        transfer = self.get_serializer(data=request.data)
        transfer.is_valid(raise_exception=True)
        try:
            need_services.routed_need_transfer(
                routed=routed,
                to_agency=transfer.validated_data["agency"],
                by=_as_advisor(request),
                reason=transfer.validated_data["reason"],
            )
        except need_services.NeedRefused as exc:
            raise Conflict(exc.message) from None
        return Response(RoutedNeedSerializer(_own_routed(request, pk)).data)


BOOKING_FILTERS = [
    OpenApiParameter("status", str, enum=Booking.Status.values),
    OpenApiParameter("incubator", str, description="An incubator's slug."),
    OpenApiParameter("starts_from", OpenApiTypes.DATETIME, description="ISO 8601, inclusive."),
    OpenApiParameter("starts_before", OpenApiTypes.DATETIME, description="ISO 8601."),
]


class BookingFilters(serializers.Serializer):
    status = serializers.ChoiceField(choices=Booking.Status.values, required=False)
    incubator = serializers.SlugField(required=False)
    starts_from = serializers.DateTimeField(required=False)
    starts_before = serializers.DateTimeField(required=False)


def _own_bookings(request: Request) -> QuerySet[Booking]:
    return Booking.objects.filter(slot__agency_id=request.auth.agency_id).select_related(
        "user", "company", "category", "slot__incubator"
    )


@extend_schema(tags=["agency"], parameters=BOOKING_FILTERS)
class BookingList(generics.ListAPIView):
    """Bookings of the token's agency's permanences, soonest first."""

    serializer_class = BookingSerializer
    permission_classes = [AgencyTokenRequired]
    pagination_class = SoonestFirst

    def get_queryset(self) -> QuerySet[Booking]:
        filters = BookingFilters(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data
        qs = _own_bookings(self.request)
        if "status" in wanted:
            qs = qs.filter(status=wanted["status"])
        if "incubator" in wanted:
            qs = qs.filter(slot__incubator__slug=wanted["incubator"])
        if "starts_from" in wanted:
            qs = qs.filter(starts_at__gte=wanted["starts_from"])
        if "starts_before" in wanted:
            qs = qs.filter(starts_at__lt=wanted["starts_before"])
        return qs


@extend_schema(tags=["agency"])
class BookingDetail(generics.RetrieveAPIView):
    """One booking of the token's agency; 404 for any other."""

    serializer_class = BookingSerializer
    permission_classes = [AgencyTokenRequired]

    def get_queryset(self) -> QuerySet[Booking]:
        return _own_bookings(self.request)


@extend_schema(
    tags=["agency"], request=AttendanceSerializer, responses={200: BookingSerializer, 409: None}
)
class BookingAttendance(generics.GenericAPIView):
    """Mark whether the person came, with the outcome (write scope), from the meeting's
    start until the marking closes, as on the advisor's page. Marked attended, the
    person is invited to the satisfaction survey."""

    serializer_class = AttendanceSerializer
    permission_classes = [AgencyTokenRequired]

    def post(self, request: Request, pk: int) -> Response:
        booking = generics.get_object_or_404(_own_bookings(request), pk=pk)
        marked = self.get_serializer(data=request.data)
        marked.is_valid(raise_exception=True)
        try:
            booking_mark_attendance(
                booking=booking,
                attended=marked.validated_data["attended"],
                outcome=marked.validated_data["outcome"],
                by=_as_advisor(request),
            )
        except BookingRefused as exc:
            raise Conflict(exc.message) from None
        return Response(BookingSerializer(_own_bookings(request).get(pk=pk)).data)


@extend_schema(
    tags=["agency"],
    parameters=[ResultFiltersSerializer],
    responses=SurveyResultsSerializer,
)
class SurveyResults(generics.GenericAPIView):
    """The satisfaction results about the token's agency, in total and per incubator or
    advisor. A group with fewer responses than `min_responses` shows its counts only,
    as on the site, so that nobody's answers can be told apart."""

    serializer_class = SurveyResultsSerializer
    permission_classes = [AgencyTokenRequired]
    pagination_class = None

    def get(self, request: Request) -> Response:
        asked = ResultFiltersSerializer(data=request.query_params)
        asked.is_valid(raise_exception=True)
        wanted = asked.validated_data
        agency_id = request.auth.agency_id
        incubators = dict(Incubator.objects.values_list("pk", "slug"))
        if wanted["group"] == "advisor":
            labels = {
                advisor.pk: str(advisor.user)
                for advisor in Advisor.objects.filter(agency_id=agency_id).select_related("user")
            }
        else:
            labels = incubators
        incubator = None
        if "incubator" in wanted:
            by_slug = {slug: pk for pk, slug in incubators.items()}
            incubator = by_slug.get(wanted["incubator"], -1)
        filters = ResultFilters(
            survey=wanted.get("survey"),
            agency=agency_id,
            incubator=incubator,
            since=wanted.get("since"),
            until=wanted.get("until"),
            group=wanted["group"],
        )
        total, rows = survey_results(filters=filters, labels=labels)
        data = {"min_responses": MIN_GROUP, "total": total, "groups": rows}
        return Response(self.get_serializer(data).data)


def _own_endpoints(request: Request) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(agency_id=request.auth.agency_id)


@extend_schema(tags=["webhooks"], responses={200: WebhookEndpointSerializer(many=True)})
class WebhookList(generics.ListCreateAPIView):
    """The agency's webhook endpoints; POST registers one (write scope) and answers its
    signing secret, this once."""

    serializer_class = WebhookEndpointSerializer
    permission_classes = [AgencyTokenRequired]
    pagination_class = None

    def get_queryset(self) -> QuerySet[WebhookEndpoint]:
        return _own_endpoints(self.request).order_by("pk")

    @extend_schema(responses={201: WebhookEndpointCreatedSerializer})
    def post(self, request: Request, *args, **kwargs) -> Response:
        asked = self.get_serializer(data=request.data)
        asked.is_valid(raise_exception=True)
        endpoint = webhook_register(
            agency=request.auth.agency,
            url=asked.validated_data["url"],
            events=asked.validated_data["events"],
            description=asked.validated_data.get("description", ""),
            by=_as_advisor(request),
        )
        return Response(
            WebhookEndpointCreatedSerializer(endpoint).data, status=status.HTTP_201_CREATED
        )


@extend_schema(tags=["webhooks"])
class WebhookDetail(generics.RetrieveUpdateDestroyAPIView):
    """One of the agency's endpoints. PATCH changes its address, events or description;
    `is_active: true` starts a stopped endpoint again, and what waited for it is sent.
    DELETE removes it with its log (write scope)."""

    serializer_class = WebhookEndpointSerializer
    permission_classes = [AgencyTokenRequired]
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[WebhookEndpoint]:
        return _own_endpoints(self.request)

    def perform_update(self, serializer) -> None:
        restart = serializer.validated_data.pop("is_active", None)
        endpoint = serializer.save()
        if restart is True:
            endpoint_restart(endpoint=endpoint)
        elif restart is False:
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False, disabled_at=None)
        endpoint.refresh_from_db()


@extend_schema(tags=["webhooks"])
class WebhookDeliveries(generics.ListAPIView):
    """The deliveries to one of the agency's endpoints, newest first: their state, the
    answer's status and the last error."""

    serializer_class = WebhookDeliverySerializer
    permission_classes = [AgencyTokenRequired]
    pagination_class = NewestFirst

    def get_queryset(self) -> QuerySet[WebhookDelivery]:
        endpoint = generics.get_object_or_404(_own_endpoints(self.request), pk=self.kwargs["pk"])
        return endpoint.deliveries.all()


@extend_schema(tags=["webhooks"], request=None, responses={202: WebhookDeliverySerializer})
class WebhookPing(generics.GenericAPIView):
    """Send a `ping` event to the endpoint, to try it (write scope)."""

    serializer_class = WebhookDeliverySerializer
    permission_classes = [AgencyTokenRequired]

    def post(self, request: Request, pk: int) -> Response:
        endpoint = generics.get_object_or_404(_own_endpoints(request), pk=pk)
        delivery = webhook_ping(endpoint=endpoint)
        return Response(self.get_serializer(delivery).data, status=status.HTTP_202_ACCEPTED)


@extend_schema(tags=["webhooks"], request=None, responses={202: WebhookDeliverySerializer})
class WebhookRedeliver(generics.GenericAPIView):
    """Send a delivery again: the same event, with the same id (write scope)."""

    serializer_class = WebhookDeliverySerializer
    permission_classes = [AgencyTokenRequired]

    def post(self, request: Request, pk: int, delivery_pk: int) -> Response:
        endpoint = generics.get_object_or_404(_own_endpoints(request), pk=pk)
        delivery = generics.get_object_or_404(endpoint.deliveries.all(), pk=delivery_pk)
        if not deliveries_resend(pks=[delivery.pk]):
            raise Conflict(_("This delivery is being sent right now."))
        delivery.refresh_from_db()
        return Response(self.get_serializer(delivery).data, status=status.HTTP_202_ACCEPTED)
