"""The organiser's pages and the check-in address of tickets (views_organiser.py),
included in the "events" namespace by events/urls.py."""

from django.urls import path

from . import views_organiser as views

urlpatterns = [
    # The address in a ticket's QR code: staff open it with their phone's camera.
    path("events/checkin/<str:token>/", views.checkin, name="checkin"),
    path("events/manage/", views.organiser_events, name="organiser_events"),
    path(
        "events/manage/<slug:slug>/", views.organiser_registrations, name="organiser_registrations"
    ),
    path(
        "events/manage/<slug:slug>/registrations/<int:pk>/decide/",
        views.organiser_decide,
        name="organiser_decide",
    ),
    path(
        "events/manage/<slug:slug>/registrations.<str:fmt>",
        views.organiser_export,
        name="organiser_export",
    ),
    path("events/manage/<slug:slug>/message/", views.organiser_message, name="organiser_message"),
    path("events/manage/<slug:slug>/checkin/", views.organiser_checkin, name="organiser_checkin"),
    path(
        "events/manage/<slug:slug>/checkin/<int:pk>/",
        views.organiser_checkin_person,
        name="organiser_checkin_person",
    ),
    path(
        "events/manage/<slug:slug>/attendance/",
        views.organiser_attendance,
        name="organiser_attendance",
    ),
]
