"""The community directory's pages: the public list and profiles, the contact form, and
a company's people's own pages (edit, publish, unpublish, messages received). Someone
else's company or an unpublished profile is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.ratelimit import rate_limited
from common.uploads import private_file_response
from incubators.models import Company

from . import selectors, services
from .forms import ContactForm, DirectoryFilterForm, ProfileForm
from .models import CompanyProfile
from .uploads import content_type_of


def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    filters = selectors.DirectoryFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.DirectoryFilters(
            **{name: form.cleaned_data[name] for name in form.fields}
        )
    page = Paginator(selectors.profiles_public(filters=filters), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for profile in page:
        profile.incubators = selectors.incubator_names(profile)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "community/directory.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": any(vars(filters).values()),
        },
    )


def profile_detail(request: HttpRequest, slug: str) -> HttpResponse:
    profile = selectors.profile_for(slug=slug, user=request.user)
    if profile is None:
        raise Http404
    own = services.is_person_of(request.user, profile.company)
    return render(
        request,
        "community/profile_detail.html",
        {
            "profile": profile,
            "company": profile.company,
            "incubators": selectors.incubator_names(profile),
            "own": own,
        },
    )


def logo(request: HttpRequest, slug: str) -> HttpResponse:
    """The logo, to whoever may see the profile, with the type its upload was checked
    for (never one the file would claim); the browser is told not to guess another."""
    profile = selectors.profile_for(slug=slug, user=request.user)
    if profile is None or not profile.logo:
        raise Http404
    content_type = content_type_of(profile.logo.name)
    if content_type is None:
        raise Http404
    response = private_file_response(profile.logo, content_type=content_type)
    if profile.is_published:
        patch_cache_control(response, public=True, max_age=3600)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


def _contactable(request: HttpRequest, slug: str) -> CompanyProfile:
    profile = selectors.profile_for(slug=slug, user=request.user)
    if profile is None or not profile.is_published or not profile.contact_enabled:
        raise Http404
    return profile


@login_required
@rate_limited("company_contact")
def contact(request: HttpRequest, slug: str) -> HttpResponse:
    profile = _contactable(request, slug)
    if services.is_person_of(request.user, profile.company):
        messages.info(request, _("This is your own company: you cannot send it a message."))
        return redirect(profile)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.is_bot:
            return redirect("community:contact_sent", slug=slug)
        try:
            services.contact_message_send(
                profile=profile,
                sender=request.user,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
        except services.CommunityRefused as refused:
            form.add_error(None, refused.message)
        else:
            return redirect("community:contact_sent", slug=slug)
    return render(
        request,
        "community/contact.html",
        {"profile": profile, "company": profile.company, "form": form},
    )


@login_required
def contact_sent(request: HttpRequest, slug: str) -> HttpResponse:
    profile = _contactable(request, slug)
    return render(
        request, "community/contact_sent.html", {"profile": profile, "company": profile.company}
    )


# --- The company's people -------------------------------------------------------------


def _my_company(request: HttpRequest, company_id: int) -> Company:
    company = selectors.company_of(user=request.user, company_id=company_id)
    if company is None:
        raise Http404
    return company


@login_required
def my_profiles(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "community/my_profiles.html",
        {"companies": selectors.companies_of(user=request.user)},
    )


@login_required
def profile_edit(request: HttpRequest, company_id: int) -> HttpResponse:
    company = _my_company(request, company_id)
    profile = CompanyProfile.objects.filter(company=company).first()
    if profile is None:
        initial = {
            "description": company.description,
            "sector": company.sector,
            "stage": company.stage,
            "contact_enabled": True,
        }
    else:
        initial = {
            "tagline": profile.tagline,
            "description": profile.description,
            "sector": company.sector,
            "stage": company.stage,
            "looking_for": profile.looking_for,
            "looking_for_note": profile.looking_for_note,
            "contact_enabled": profile.contact_enabled,
        }
    form = ProfileForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        has_logo=bool(profile and profile.logo),
    )
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.profile_save(company=company, by=request.user, **form.cleaned_data)
        except services.CommunityRefused as refused:
            form.add_error(None, refused.message)
        else:
            if profile.is_published:
                messages.success(request, _("Your company's profile is saved."))
            else:
                messages.success(
                    request,
                    _("Your company's profile is saved. Publish it to show it in the directory."),
                )
            return redirect("community:my_profiles")
    return render(
        request,
        "community/profile_form.html",
        {"company": company, "profile": profile, "form": form},
    )


@login_required
@require_POST
def profile_publish(request: HttpRequest, company_id: int) -> HttpResponse:
    company = _my_company(request, company_id)
    profile = CompanyProfile.objects.filter(company=company).first()
    if profile is None:
        raise Http404
    try:
        services.profile_publish(profile=profile, by=request.user)
    except services.CommunityRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Your company's profile is in the directory."))
    return redirect("community:my_profiles")


@login_required
@require_POST
def profile_unpublish(request: HttpRequest, company_id: int) -> HttpResponse:
    company = _my_company(request, company_id)
    profile = CompanyProfile.objects.filter(company=company).first()
    if profile is None:
        raise Http404
    services.profile_unpublish(profile=profile, by=request.user)
    messages.success(
        request, _("Your company's profile is no longer in the directory. Nobody else sees it.")
    )
    return redirect("community:my_profiles")


@login_required
def messages_received(request: HttpRequest, company_id: int) -> HttpResponse:
    company = _my_company(request, company_id)
    page = Paginator(selectors.messages_received(company=company), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "community/messages_received.html", {"company": company, "page": page})
