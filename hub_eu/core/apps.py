from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hub_eu.core"
    label = "core"
    verbose_name = "hub.eu"

    def ready(self):
        from .admin_input import correct_admin_input

        correct_admin_input()
