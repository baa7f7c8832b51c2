from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hub_eu.core"
    label = "core"
    verbose_name = "hub.eu"
