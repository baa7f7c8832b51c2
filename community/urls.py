from django.urls import path, register_converter

from . import views
from .models import RESERVED_SLUGS

app_name = "community"


class ProfileSlugConverter:
    """A profile's slug, never a path another page of /companies/ uses (the incubators'
    join requests): this app's URLs come first, so a slug would hide that page."""

    regex = "(?!(?:" + "|".join(RESERVED_SLUGS) + ")/)[-a-zA-Z0-9_]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ProfileSlugConverter, "community_profile")

urlpatterns = [
    path("companies/", views.directory, name="directory"),
    path("companies/<community_profile:slug>/", views.profile_detail, name="detail"),
    path("companies/<community_profile:slug>/logo/", views.logo, name="logo"),
    path("companies/<community_profile:slug>/contact/", views.contact, name="contact"),
    path(
        "companies/<community_profile:slug>/contact/sent/", views.contact_sent, name="contact_sent"
    ),
    path("me/company-profile/", views.my_profiles, name="my_profiles"),
    path("me/company-profile/<int:company_id>/", views.profile_edit, name="edit"),
    path("me/company-profile/<int:company_id>/publish/", views.profile_publish, name="publish"),
    path(
        "me/company-profile/<int:company_id>/unpublish/",
        views.profile_unpublish,
        name="unpublish",
    ),
    path(
        "me/company-profile/<int:company_id>/messages/",
        views.messages_received,
        name="messages",
    ),
]
