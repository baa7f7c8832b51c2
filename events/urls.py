from django.urls import path

from . import urls_organiser, views

app_name = "events"

urlpatterns = [
    path("events/", views.event_list, name="event_list"),
    path("events/tickets/<str:token>/", views.ticket, name="ticket"),
    path("events/tickets/<str:token>/cancel/", views.ticket_cancel, name="ticket_cancel"),
    path("events/tickets/<str:token>/accept/", views.offer_accept, name="offer_accept"),
    path("events/tickets/<str:token>/decline/", views.offer_decline, name="offer_decline"),
    path("events/confirm/<str:signed>/", views.guest_confirm, name="guest_confirm"),
    path("events/<slug:slug>/", views.event_detail, name="event_detail"),
    path("events/<slug:slug>/register/", views.event_register, name="event_register"),
    path("events/<slug:slug>/calendar.ics", views.event_calendar, name="event_calendar"),
]

# The organisers' pages and check-in (events:checkin...), in the same namespace.
# First: "events/manage/" would otherwise be taken for an event slugged "manage".
urlpatterns = urls_organiser.urlpatterns + urlpatterns
