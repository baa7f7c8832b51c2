from django.urls import path

from . import views

app_name = "cockpit"

urlpatterns = [
    path("coordination/cockpit/", views.dashboard, name="dashboard"),
]
