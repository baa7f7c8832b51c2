"""Celery beat's own tables (periodic tasks and their crontab, interval, solar and clocked
schedules) are the machinery of the background work, not coordination: the admin shows
them to superusers only. The portal's planners read what is due from the database, so a
coordinator never needs to touch them."""

from django.apps import apps
from django.contrib import admin


class SuperuserOnly:
    """Mixed into a ModelAdmin: hidden from the index and refused to anyone but a superuser."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, *args, **kwargs):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


def _restrict_to_superusers(app_label: str) -> None:
    # Runs after that app's own admin module: it comes first in INSTALLED_APPS.
    if not apps.is_installed(app_label):
        return
    for model in apps.get_app_config(app_label).get_models():
        if admin.site.is_registered(model):
            model_admin = type(admin.site.get_model_admin(model))
            admin.site.unregister(model)
            admin.site.register(model, type(model_admin.__name__, (SuperuserOnly, model_admin), {}))


_restrict_to_superusers("django_celery_beat")
