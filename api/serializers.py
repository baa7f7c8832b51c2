"""What the API returns. Names are given in the language asked for (Accept-Language)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers

from events.models import Event
from incubators.models import Agency, Incubator, Service
from needs.models import RoutedNeed
from permanences.models import Booking, Slot

from .events import EVENTS
from .models import WebhookDelivery, WebhookEndpoint
from .services import webhook_events_check, webhook_url_check


class ServiceSerializer(serializers.ModelSerializer):
    categories = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Service
        fields = ["name", "summary", "audience", "url", "categories"]


class AgencySerializer(serializers.ModelSerializer):
    services = ServiceSerializer(many=True, read_only=True, source="active_services")

    class Meta:
        model = Agency
        fields = ["slug", "name", "short_name", "tagline", "website", "email", "services"]


class IncubatorSerializer(serializers.ModelSerializer):
    commune = serializers.CharField(source="get_commune_display")
    latitude = serializers.DecimalField(max_digits=8, decimal_places=6, read_only=True)
    longitude = serializers.DecimalField(max_digits=8, decimal_places=6, read_only=True)

    class Meta:
        model = Incubator
        fields = [
            "slug",
            "name",
            "kind",
            "street",
            "postal_code",
            "commune",
            "latitude",
            "longitude",
            "website",
        ]


class SlotSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    incubator = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    places_left = serializers.SerializerMethodField()
    languages = serializers.SerializerMethodField()
    book_url = serializers.SerializerMethodField()

    class Meta:
        model = Slot
        fields = [
            "id",
            "starts_at",
            "ends_at",
            "agency",
            "incubator",
            "places_left",
            "languages",
            "book_url",
        ]

    def get_places_left(self, slot: Slot) -> int:
        return max(slot.capacity - slot.booked_count, 0)

    def get_languages(self, slot: Slot) -> list[str]:
        return [language.code for language in slot.schedule.languages.all()]

    def get_book_url(self, slot: Slot) -> str:
        path = reverse("permanences:booking_create", kwargs={"slot_pk": slot.pk})
        return self.context["request"].build_absolute_uri(path)


class EventSerializer(serializers.ModelSerializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    places_left = serializers.SerializerMethodField()
    organiser_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organiser_incubator = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "slug",
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "organiser_agency",
            "organiser_incubator",
            "capacity",
            "places_left",
            "url",
        ]

    def get_places_left(self, event: Event) -> int:
        return max(event.capacity - event.held, 0)

    def get_url(self, event: Event) -> str:
        return self.context["request"].build_absolute_uri(event.get_absolute_url())


class PersonSerializer(serializers.Serializer):
    name = serializers.CharField(source="get_full_name")
    email = serializers.EmailField()
    language = serializers.CharField()


class NeedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    description = serializers.CharField()
    urgency = serializers.CharField()
    source = serializers.CharField()
    declared_at = serializers.DateTimeField(source="created_at")
    incubator = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    company = serializers.CharField(source="company.name", default=None)
    entrepreneur = PersonSerializer(source="user")


class RoutedNeedSerializer(serializers.ModelSerializer):
    """A need routed to the agency, as its inbox shows it (only while shared)."""

    routed_at = serializers.DateTimeField(source="created_at")
    overdue = serializers.SerializerMethodField()
    assigned_to = serializers.SerializerMethodField()
    need = NeedSerializer()

    class Meta:
        model = RoutedNeed
        fields = [
            "id",
            "status",
            "routed_at",
            "ack_due_at",
            "acknowledged_at",
            "closed_at",
            "overdue",
            "assigned_to",
            "need",
        ]

    def get_overdue(self, routed: RoutedNeed) -> bool:
        return RoutedNeed.is_overdue_at(
            status=routed.status, ack_due_at=routed.ack_due_at, now=timezone.now()
        )

    def get_assigned_to(self, routed: RoutedNeed) -> str | None:
        advisor = routed.assigned_to
        return advisor.user.get_full_name() if advisor else None


class NeedStatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[
            RoutedNeed.Status.ACKNOWLEDGED,
            RoutedNeed.Status.IN_PROGRESS,
            RoutedNeed.Status.RESOLVED,
            RoutedNeed.Status.DECLINED,
        ]
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class NeedMessageSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    body = serializers.CharField(max_length=5000)
    from_agency = serializers.BooleanField(read_only=True)
    sent_at = serializers.DateTimeField(source="created_at", read_only=True)


class NeedTransferSerializer(serializers.Serializer):
    agency = serializers.SlugRelatedField(
        slug_field="slug", queryset=Agency.objects.filter(is_active=True)
    )
    reason = serializers.CharField(max_length=2000)


class BookingSerializer(serializers.ModelSerializer):
    """A booking of the agency's permanences. Who booked, and for which company, only
    when they agreed to share their profile with the agency (as the advisor's pages)."""

    incubator = serializers.SlugRelatedField(
        source="slot.incubator", slug_field="slug", read_only=True
    )
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    entrepreneur = serializers.SerializerMethodField()
    company = serializers.SerializerMethodField()
    booked_at = serializers.DateTimeField(source="created_at")

    class Meta:
        model = Booking
        fields = [
            "id",
            "slot",
            "status",
            "starts_at",
            "ends_at",
            "incubator",
            "category",
            "topic",
            "language",
            "booked_at",
            "cancelled_at",
            "outcome",
            "entrepreneur",
            "company",
        ]

    def get_entrepreneur(self, booking: Booking) -> dict | None:
        if not booking.consent_share_profile:
            return None
        return PersonSerializer(booking.user).data

    def get_company(self, booking: Booking) -> str | None:
        if not booking.consent_share_profile or booking.company is None:
            return None
        return booking.company.name


class AttendanceSerializer(serializers.Serializer):
    attended = serializers.BooleanField(help_text="False: the person did not come (no-show).")
    outcome = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ResultFiltersSerializer(serializers.Serializer):
    survey = serializers.IntegerField(required=False, min_value=1)
    incubator = serializers.SlugField(required=False)
    since = serializers.DateField(required=False)
    until = serializers.DateField(required=False)
    group = serializers.ChoiceField(choices=["incubator", "advisor"], default="incubator")


class ResultRowSerializer(serializers.Serializer):
    """One group's figures; `hidden` (too few responses to stay anonymous) leaves only
    the counts."""

    group = serializers.CharField(source="label")
    invitations = serializers.IntegerField()
    responses = serializers.IntegerField()
    response_rate = serializers.IntegerField(source="rate", allow_null=True)
    satisfaction = serializers.FloatField(allow_null=True)
    distribution = serializers.ListField(child=serializers.IntegerField())
    nps = serializers.IntegerField(allow_null=True)
    hidden = serializers.BooleanField()


class SurveyResultsSerializer(serializers.Serializer):
    min_responses = serializers.IntegerField()
    total = ResultRowSerializer()
    groups = ResultRowSerializer(many=True)


class WebhookEndpointSerializer(serializers.ModelSerializer):
    events = serializers.MultipleChoiceField(choices=list(EVENTS))
    url = serializers.URLField(max_length=500)

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "description",
            "events",
            "is_active",
            "failures",
            "disabled_at",
            "created_at",
        ]
        read_only_fields = ["failures", "disabled_at", "created_at"]

    def validate_url(self, url: str) -> str:
        try:
            webhook_url_check(url)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None
        return url

    def validate_events(self, events) -> list[str]:
        try:
            return webhook_events_check(list(events))
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None

    def to_representation(self, endpoint):
        data = super().to_representation(endpoint)
        data["events"] = sorted(data["events"])
        return data


class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(
        read_only=True, help_text="Shown once: keep it to check the signatures."
    )

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event",
            "event_id",
            "state",
            "attempts",
            "next_attempt_at",
            "response_status",
            "last_error",
            "duration_ms",
            "created_at",
            "delivered_at",
        ]
