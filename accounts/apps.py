from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Sent once per app, after that app's permissions exist: the group ends up
        # holding the permissions of every portal app, whatever their order.
        post_migrate.connect(_sync_groups, dispatch_uid="accounts_sync_coordinator_group")
        # Each installed app's `personal_data.py` declares its part of a person's export,
        # its eraser and its retention rules (personal_data.py), as `notices.py` does.
        from . import privacy  # noqa: F401 - declares the accounts app's own part

        autodiscover_modules("personal_data")


def _sync_groups(sender, **kwargs) -> None:
    from .services import coordinator_group_sync

    coordinator_group_sync()
