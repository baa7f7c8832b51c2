from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import Role, User

COORDINATORS_GROUP = "Coordinators"
# The coordinator manages every model of the portal's own apps in the admin (not Celery
# beat's tables, shown to superusers only).
COORDINATOR_APPS = (
    "accounts",
    "incubators",
    "needs",
    "permanences",
    "surveys",
    "notifications",
    "events",
    "hackathons",
    "community",
    "calls",
    "landing",
    "edih",
    "journeys",
    "api",
)


def coordinator_group_sync() -> Group:
    """Create or refresh the Coordinators group with every permission on the portal's apps."""
    group, _ = Group.objects.get_or_create(name=COORDINATORS_GROUP)
    installed = {config.label for config in apps.get_app_configs()}
    labels = [label for label in COORDINATOR_APPS if label in installed]
    permissions = Permission.objects.filter(content_type__app_label__in=labels)
    group.permissions.set(permissions)
    return group


@transaction.atomic
def user_set_role(*, user: User, role: str) -> User:
    """Give a user a role; the coordinator role opens the admin, the others close it."""
    if role not in Role.values:
        raise ValueError(f"Unknown role {role!r}")
    group = coordinator_group_sync() if role == Role.COORDINATOR else None
    user.role = role
    if role == Role.COORDINATOR:
        user.is_staff = True
        user.save(update_fields=["role", "is_staff"])
        user.groups.add(group)
    else:
        if not user.is_superuser:
            user.is_staff = False
        user.save(update_fields=["role", "is_staff"])
        user.groups.remove(*Group.objects.filter(name=COORDINATORS_GROUP))
    return user


def user_update_profile(
    *,
    user: User,
    first_name: str,
    last_name: str,
    language: str,
    digest_needs: bool | None = None,
    digest_permanences: bool | None = None,
    survey_invitations: bool | None = None,
) -> User:
    """Save the profile; a digest switch left as None (not offered to this user) is kept."""
    user.first_name = first_name
    user.last_name = last_name
    user.language = language
    fields = ["first_name", "last_name", "language"]
    switches = [
        ("digest_needs", digest_needs),
        ("digest_permanences", digest_permanences),
        ("survey_invitations", survey_invitations),
    ]
    for name, value in switches:
        if value is not None:
            setattr(user, name, value)
            fields.append(name)
    user.save(update_fields=fields)
    return user


DIGESTS = ("digest_needs", "digest_permanences", "survey_invitations")


def user_unsubscribe(*, user: User, digest: str) -> None:
    """Switch one digest off (from the link in the digest itself)."""
    if digest not in DIGESTS:
        raise ValueError(digest)
    User.objects.filter(pk=user.pk).update(**{digest: False})
