from django.urls import path

from . import views

app_name = "calls"

urlpatterns = [
    path("calls/", views.call_list, name="list"),
    path("calls/mine/", views.my_applications, name="mine"),
    path("calls/evaluate/", views.evaluate, name="evaluate"),
    path("calls/<slug:slug>/", views.call_detail, name="detail"),
    path("calls/<slug:slug>/apply/", views.application_edit, name="apply"),
    path("calls/<slug:slug>/apply/withdraw/", views.application_withdraw, name="withdraw"),
    path(
        "calls/<slug:slug>/apply/files/<int:pk>/delete/",
        views.application_file_delete,
        name="file_delete",
    ),
    path("calls/<slug:slug>/files/<int:pk>/", views.application_file, name="file"),
    path("calls/<slug:slug>/review/", views.review, name="review"),
    path("calls/<slug:slug>/review/<int:pk>/", views.score, name="score"),
    path("calls/<slug:slug>/review/<int:pk>/conflict/", views.conflict, name="conflict"),
    path("calls/<slug:slug>/manage/", views.manage, name="manage"),
    path("calls/<slug:slug>/manage/invite/", views.manage_invite, name="manage_invite"),
    path(
        "calls/<slug:slug>/manage/evaluators/<int:pk>/remove/",
        views.manage_evaluator_remove,
        name="manage_evaluator_remove",
    ),
    path("calls/<slug:slug>/manage/assign/", views.manage_assign, name="manage_assign"),
    path(
        "calls/<slug:slug>/manage/applications/<int:pk>/",
        views.manage_application,
        name="manage_application",
    ),
    path("calls/<slug:slug>/manage/export.csv", views.manage_export, name="manage_export"),
    path("calls/<slug:slug>/manage/publish/", views.manage_publish, name="manage_publish"),
]
