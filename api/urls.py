from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

v1 = [
    path("agencies/", views.AgencyList.as_view(), name="agency_list"),
    path("agencies/<slug:slug>/", views.AgencyDetail.as_view(), name="agency_detail"),
    path("incubators/", views.IncubatorList.as_view(), name="incubator_list"),
    path("slots/", views.SlotList.as_view(), name="slot_list"),
    path("events/", views.EventList.as_view(), name="event_list"),
    path("bookings/", views.BookingList.as_view(), name="booking_list"),
    path("bookings/<int:pk>/", views.BookingDetail.as_view(), name="booking_detail"),
    path(
        "bookings/<int:pk>/attendance/",
        views.BookingAttendance.as_view(),
        name="booking_attendance",
    ),
    path("surveys/results/", views.SurveyResults.as_view(), name="survey_results"),
    path("webhooks/", views.WebhookList.as_view(), name="webhook_list"),
    path("webhooks/<int:pk>/", views.WebhookDetail.as_view(), name="webhook_detail"),
    path(
        "webhooks/<int:pk>/deliveries/",
        views.WebhookDeliveries.as_view(),
        name="webhook_deliveries",
    ),
    path("webhooks/<int:pk>/ping/", views.WebhookPing.as_view(), name="webhook_ping"),
    path(
        "webhooks/<int:pk>/deliveries/<int:delivery_pk>/resend/",
        views.WebhookRedeliver.as_view(),
        name="webhook_redeliver",
    ),
    path("needs/", views.NeedList.as_view(), name="need_list"),
    path("needs/<int:pk>/", views.NeedDetail.as_view(), name="need_detail"),
    path("needs/<int:pk>/status/", views.NeedStatusChange.as_view(), name="need_status"),
    path("needs/<int:pk>/messages/", views.NeedMessages.as_view(), name="need_messages"),
    path("needs/<int:pk>/transfer/", views.NeedTransfer.as_view(), name="need_transfer"),
]

app_name = "api"
urlpatterns = [
    path("v1/", include((v1, "v1"), namespace="v1")),
    # Outside /v1/: no version in their path, the schema is v1's.
    path(
        "schema/",
        SpectacularAPIView.as_view(api_version="v1", versioning_class=None),
        name="schema",
    ),
    # Swagger UI from drf-spectacular-sidecar's files; its script is served apart from
    # the page, which the Content-Security-Policy (scripts from the site only) needs.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", versioning_class=None),
        name="docs",
    ),
]
