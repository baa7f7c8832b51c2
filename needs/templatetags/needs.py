"""Fragments needs contributes to the pages of the apps below it (the advisor's page of
a booking, in permanences), which cannot import it."""

from django import template

from ..models import RoutedNeed

register = template.Library()


@register.inclusion_tag("needs/_person_needs.html")
def needs_of_person_at_agency(user, agency) -> dict:
    """The needs this person shared with this agency, newest first: what an advisor reads
    before meeting them."""
    routed = (
        RoutedNeed.objects.filter(need__user=user, agency=agency, shared=True)
        .select_related("need__category")
        .order_by("-created_at")[:10]
    )
    return {"routed_needs": list(routed), "agency": agency}
