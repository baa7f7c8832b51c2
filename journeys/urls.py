from django.urls import path

from . import views

app_name = "journeys"

urlpatterns = [
    path("journeys/", views.theme_list, name="theme_list"),
    path("journeys/<slug:slug>/", views.theme_detail, name="theme_detail"),
]
