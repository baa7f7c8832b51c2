from django.urls import path

from . import views, views_privacy

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("data/", views_privacy.my_data, name="my_data"),
    path("data/my-data.json", views_privacy.my_data_json, name="my_data_json"),
    path("data/delete/", views_privacy.account_delete, name="account_delete"),
    path("personal-data/", views_privacy.personal_data_overview, name="personal_data"),
]
