from django.urls import path

from . import views, views_coordinator

app_name = "needs"

urlpatterns = [
    # The entrepreneur
    path("me/needs/", views.need_list, name="need_list"),
    path("me/needs/new/", views.need_create, name="need_create"),
    path("me/needs/<int:pk>/", views.need_detail, name="need_detail"),
    path("me/needs/<int:pk>/consent/", views.need_consent, name="need_consent"),
    path("me/needs/<int:pk>/reply/<int:routed_pk>/", views.need_reply, name="need_reply"),
    path(
        "me/needs/<int:pk>/offers/<int:offer_pk>/book/<int:slot_pk>/",
        views.offer_book,
        name="offer_book",
    ),
    # The agency's inbox
    path("agency/needs/", views.inbox, name="inbox"),
    path("agency/needs/<int:pk>/", views.inbox_detail, name="inbox_detail"),
    path("agency/needs/<int:pk>/<str:action>/", views.inbox_action, name="inbox_action"),
    # The coordinator
    path("coordination/overview/", views_coordinator.overview, name="overview"),
    path(
        "coordination/overview/<str:table>.csv", views_coordinator.overview_csv, name="overview_csv"
    ),
]
