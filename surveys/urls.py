from django.urls import path

from . import views, views_events, views_results

app_name = "surveys"

urlpatterns = [
    path("survey/<str:token>/", views.answer, name="answer"),
    path("coordination/surveys/<int:pk>/preview/", views.preview, name="preview"),
    path("coordination/surveys/", views_results.coordinator_results, name="coordinator_results"),
    path("agency/surveys/", views_results.agency_results, name="agency_results"),
    path(
        "events/manage/<slug:slug>/survey/",
        views_events.event_survey_results,
        name="event_results",
    ),
    path(
        "surveys/suggestions/<int:pk>/handled/",
        views_results.suggestion_handle,
        name="suggestion_handle",
    ),
]
