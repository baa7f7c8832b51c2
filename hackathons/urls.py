from django.urls import path

from . import views

app_name = "hackathons"

urlpatterns = [
    path("hackathons/", views.hackathon_list, name="list"),
    path("hackathons/join/<str:token>/", views.team_join, name="join"),
    path("hackathons/partners/<int:pk>/logo/", views.partner_logo, name="partner_logo"),
    path("hackathons/<slug:slug>/", views.hackathon_detail, name="detail"),
    path("hackathons/<slug:slug>/teams/new/", views.team_create, name="team_create"),
    path("hackathons/<slug:slug>/team/", views.my_team, name="my_team"),
    path("hackathons/<slug:slug>/team/invite/", views.team_invite_renew, name="team_invite"),
    path("hackathons/<slug:slug>/team/leave/", views.team_leave, name="team_leave"),
    path("hackathons/<slug:slug>/skills/", views.skills, name="skills"),
    path("hackathons/<slug:slug>/submission/", views.submission_edit, name="submission"),
    path(
        "hackathons/<slug:slug>/submission/files/<int:pk>/delete/",
        views.submission_file_delete,
        name="submission_file_delete",
    ),
    path("hackathons/<slug:slug>/files/<int:pk>/", views.submission_file, name="file"),
    path("hackathons/<slug:slug>/jury/", views.jury, name="jury"),
    path("hackathons/<slug:slug>/jury/<int:pk>/", views.score, name="score"),
    path("hackathons/<slug:slug>/manage/", views.manage, name="manage"),
    path("hackathons/<slug:slug>/manage/assign/", views.manage_assign, name="manage_assign"),
    path("hackathons/<slug:slug>/manage/publish/", views.manage_publish, name="manage_publish"),
]
