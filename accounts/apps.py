from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Sent once per app, after that app's permissions exist: the group ends up
        # holding the permissions of every portal app, whatever their order.
        post_migrate.connect(_sync_groups, dispatch_uid="accounts_sync_coordinator_group")


def _sync_groups(sender, **kwargs) -> None:
    from .services import coordinator_group_sync

    coordinator_group_sync()
