"""The innovation journeys: the list of themes and one public page per theme."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .selectors import journey, theme_public, themes_public


def theme_list(request: HttpRequest) -> HttpResponse:
    return render(request, "journeys/theme_list.html", {"themes": themes_public()})


def theme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    theme = theme_public(slug)
    if theme is None:
        raise Http404
    return render(request, "journeys/theme_detail.html", {"journey": journey(theme=theme)})
