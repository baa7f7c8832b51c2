from django.urls import path

from . import views

app_name = "permanences"

urlpatterns = [
    path("permanences/", views.slot_list, name="slot_list"),
    path("permanences/slots/<int:slot_pk>/book/", views.booking_create, name="booking_create"),
    path("me/bookings/", views.my_bookings, name="my_bookings"),
    path("me/bookings/<int:pk>/", views.booking_detail, name="booking_detail"),
    path("me/bookings/<int:pk>/calendar.ics", views.booking_calendar, name="booking_calendar"),
    path("me/bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("me/bookings/<int:pk>/reschedule/", views.booking_reschedule, name="booking_reschedule"),
    path("me/calendar/renew/", views.calendar_feed_renew, name="calendar_feed_renew"),
    path("me/calendar/revoke/", views.calendar_feed_revoke, name="calendar_feed_revoke"),
    path("advisor/permanences/", views.advisor_permanences, name="advisor_permanences"),
    path("advisor/bookings/<int:pk>/", views.advisor_booking_detail, name="advisor_booking"),
    path(
        "advisor/bookings/<int:pk>/attendance/",
        views.advisor_mark_attendance,
        name="advisor_mark_attendance",
    ),
]
