from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from .models import Role


def role_required(*roles: str) -> Callable:
    """Only users with one of these roles (or a coordinator) reach the view; others get a 404,
    so a URL never tells a stranger that the object exists."""

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if user.role not in roles and not user.is_coordinator:
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def coordinator_required(view: Callable) -> Callable:
    """Only the coordinator (an active staff user with that role); anyone else gets a 404."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_coordinator:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def active_advisor_or_404(request):
    """The signed-in user's advisor record, if it is active; otherwise a 404, so agency
    pages never tell a stranger that they exist."""
    user = request.user
    if not user.is_authenticated:
        raise Http404
    # The advisor and its agency in one query; the model is reached through the relation,
    # as accounts stands below incubators and does not import it.
    reverse = user._meta.model.advisor_profile.related
    if reverse.is_cached(user):
        advisor = reverse.get_cached_value(user)
    else:
        advisor = (
            reverse.related_model._default_manager.select_related("agency")
            .filter(user_id=user.pk)
            .order_by()  # one row at most: no need for the model's ordering and its joins
            .first()
        )
        reverse.set_cached_value(user, advisor)
    if advisor is None or not advisor.is_active:
        raise Http404
    return advisor


__all__ = ["Role", "active_advisor_or_404", "coordinator_required", "role_required"]
