from django.urls import path

from . import views

app_name = "edih"

urlpatterns = [
    path("test-before-invest/", views.index, name="index"),
    path("test-before-invest/request/", views.request_create, name="request_create"),
    path("me/test-requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("agency/test-requests/", views.agency_list, name="agency_list"),
    path("agency/test-requests/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("agency/test-requests/<int:pk>/outcome/", views.agency_outcome, name="agency_outcome"),
]
