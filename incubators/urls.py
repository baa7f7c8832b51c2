from django.urls import path

from . import views

app_name = "incubators"

urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/<slug:slug>/", views.agency_detail, name="agency_detail"),
    path("incubators/", views.incubator_list, name="incubator_list"),
    path("incubators/<slug:slug>/", views.incubator_detail, name="incubator_detail"),
    path("me/consents/", views.consents, name="consents"),
    path("me/consents/<int:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("onboarding/", views.onboarding, name="onboarding"),
    path("onboarding/membership/", views.membership_request, name="membership_request"),
    path("companies/join-requests/", views.join_requests, name="join_requests"),
    path(
        "companies/join-requests/<int:pk>/decide/",
        views.join_request_decide,
        name="join_request_decide",
    ),
    path(
        "companies/join-requests/<int:pk>/withdraw/",
        views.join_request_withdraw,
        name="join_request_withdraw",
    ),
    path("manage/incubators/<slug:slug>/members/", views.manager_members, name="manager_members"),
    path(
        "manage/memberships/<int:pk>/decide/",
        views.manager_membership_decide,
        name="manager_membership_decide",
    ),
]
