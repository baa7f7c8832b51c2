from django.urls import path

from . import views

app_name = "landing"

urlpatterns = [
    path("landing/", views.home, name="home"),
    path("landing/contacts/", views.contacts, name="contacts"),
    path("me/landing/", views.plan, name="plan"),
    path("me/landing/start/", views.intake, name="intake"),
    path("me/landing/edit/", views.plan_edit, name="plan_edit"),
    path("me/landing/steps/<int:pk>/", views.step_toggle, name="step_toggle"),
    path("me/landing/itinerary/", views.itinerary, name="itinerary"),
    path("coordination/landing/", views.overview, name="overview"),
    path("coordination/landing/export.csv", views.overview_csv, name="overview_csv"),
]
