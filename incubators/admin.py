from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin

from . import importing, services
from .models import (
    Advisor,
    Agency,
    Company,
    CompanyJoinRequest,
    Incubator,
    Language,
    Membership,
    NeedCategory,
    Service,
    Theme,
)


@admin.register(Language)
class LanguageAdmin(TabbedTranslationAdmin):
    list_display = ["code", "name", "order"]
    search_fields = ["code", "name"]


@admin.register(Incubator)
class IncubatorAdmin(TabbedTranslationAdmin):
    list_display = ["name", "kind", "commune", "postal_code", "is_active", "member_count"]
    list_filter = ["kind", "commune", "is_active", "languages"]
    search_fields = ["name", "street", "slug"]
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ["managers"]
    filter_horizontal = ["languages"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_members=Count("memberships"))

    @admin.display(description=_("members"), ordering="_members")
    def member_count(self, obj):
        return obj._members

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for user in form.cleaned_data.get("managers", []):
            services.incubator_add_manager(incubator=form.instance, user=user)


class ServiceInline(admin.StackedInline):
    model = Service
    extra = 0
    fields = ["name", "summary", "audience", "categories", "url", "is_active", "order"]
    filter_horizontal = ["categories"]


@admin.register(Agency)
class AgencyAdmin(TabbedTranslationAdmin):
    list_display = ["short_name", "name", "website", "is_active", "order"]
    list_editable = ["order"]
    list_filter = ["is_active"]
    search_fields = ["short_name", "name", "slug"]
    prepopulated_fields = {"slug": ("short_name",)}
    inlines = [ServiceInline]


@admin.register(NeedCategory)
class NeedCategoryAdmin(TabbedTranslationAdmin):
    list_display = ["name", "slug", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Service)
class ServiceAdmin(TabbedTranslationAdmin):
    list_display = ["name", "agency", "is_active", "order"]
    list_filter = ["agency", "is_active", "categories"]
    search_fields = ["name", "summary", "description"]
    autocomplete_fields = ["agency"]
    filter_horizontal = ["categories", "themes"]


@admin.register(Theme)
class ThemeAdmin(TabbedTranslationAdmin):
    list_display = ["name", "slug", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Advisor)
class AdvisorAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "job_title", "is_active"]
    list_filter = ["agency", "is_active", "languages"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "job_title", "expertise"]
    autocomplete_fields = ["user", "agency"]
    filter_horizontal = ["languages"]
    list_select_related = ["user", "agency"]

    def save_model(self, request, obj, form, change):
        services.advisor_save(advisor=obj)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["incubator", "start", "end", "status"]
    readonly_fields = ["status"]  # decided in the memberships list, through the service
    autocomplete_fields = ["incubator"]


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "enterprise_number_display", "country", "sector", "stage"]
    list_filter = ["sector", "stage", "country", "memberships__incubator"]
    search_fields = ["name", "enterprise_number", "people__email"]
    autocomplete_fields = ["people"]
    inlines = [MembershipInline]

    @admin.display(description=_("enterprise number"), ordering="enterprise_number")
    def enterprise_number_display(self, obj):
        return obj.enterprise_number_display


class MemberImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("A .csv or .xlsx file with one member company per row.")
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file, import nothing"), required=False, initial=True
    )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["company", "incubator", "start", "end", "status", "decided_by"]
    list_filter = ["status", "incubator", "start"]
    search_fields = ["company__name", "company__enterprise_number", "incubator__name"]
    autocomplete_fields = ["company", "incubator", "requested_by", "decided_by"]
    list_select_related = ["company", "incubator", "decided_by"]
    date_hierarchy = "start"
    actions = ["confirm_selected", "decline_selected"]
    change_list_template = "admin/incubators/membership/change_list.html"
    # A request is decided through the actions (the decision service records who and
    # when), never by editing its status.
    readonly_fields = ["status", "requested_by", "decided_by", "decided_at"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            services.membership_record(membership=obj, recorded_by=request.user)

    def _decide(self, request, queryset, *, confirm: bool) -> None:
        decided, skipped = services.memberships_decide(
            memberships=queryset.order_by("pk"), decided_by=request.user, confirm=confirm
        )
        if confirm:
            done = ngettext(
                "%(count)d membership confirmed.", "%(count)d memberships confirmed.", decided
            )
        else:
            done = ngettext(
                "%(count)d membership request declined.",
                "%(count)d membership requests declined.",
                decided,
            )
        self.message_user(request, done % {"count": decided})
        if skipped:
            self.message_user(
                request,
                _("Already decided, left as they were: %(count)d.") % {"count": skipped},
                messages.WARNING,
            )

    @admin.action(description=_("Confirm the selected pending memberships"))
    def confirm_selected(self, request, queryset):
        self._decide(request, queryset, confirm=True)

    @admin.action(description=_("Decline the selected pending requests"))
    def decline_selected(self, request, queryset):
        self._decide(request, queryset, confirm=False)

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="incubators_membership_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = MemberImportForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                rows = importing.read_rows(filename=upload.name, content=upload.read())
            except importing.ImportFileError as exc:
                form.add_error("file", str(exc))
            else:
                report = importing.members_import(
                    rows=rows, imported_by=request.user, dry_run=form.cleaned_data["dry_run"]
                )
                if report.ok and not form.cleaned_data["dry_run"]:
                    messages.success(
                        request,
                        _(
                            "Imported %(rows)d rows: %(companies)d new companies, "
                            "%(memberships)d new memberships, %(unchanged)d already known."
                        )
                        % {
                            "rows": report.rows,
                            "companies": report.companies_created,
                            "memberships": report.memberships_created,
                            "unchanged": report.unchanged,
                        },
                    )
                    return redirect(reverse("admin:incubators_membership_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import members"),
            "form": form,
            "report": report,
            "columns": importing.COLUMNS,
        }
        return TemplateResponse(request, "admin/incubators/membership/import.html", context)


@admin.register(CompanyJoinRequest)
class CompanyJoinRequestAdmin(admin.ModelAdmin):
    """Requests to join a company, decided through the actions (the service records who
    and when, lists the person at the company and tells them); never edited by hand."""

    list_display = ["user", "company", "status", "created_at", "decided_by", "decided_at"]
    list_filter = ["status", "created_at"]
    search_fields = [
        "user__email",
        "user__last_name",
        "company__name",
        "company__enterprise_number",
    ]
    list_select_related = ["user", "company", "decided_by"]
    date_hierarchy = "created_at"
    actions = ["approve_selected", "refuse_selected"]
    readonly_fields = ["company", "user", "status", "created_at", "decided_by", "decided_at"]

    def has_add_permission(self, request):
        return False

    def _decide(self, request, queryset, *, approve: bool) -> None:
        decided, skipped = services.company_join_requests_decide(
            join_requests=queryset.select_related("company", "user").order_by("pk"),
            decided_by=request.user,
            approve=approve,
        )
        if approve:
            done = ngettext(
                "%(count)d request to join a company approved.",
                "%(count)d requests to join a company approved.",
                decided,
            )
        else:
            done = ngettext(
                "%(count)d request to join a company refused.",
                "%(count)d requests to join a company refused.",
                decided,
            )
        self.message_user(request, done % {"count": decided})
        if skipped:
            self.message_user(
                request,
                _("Already decided, left as they were: %(count)d.") % {"count": skipped},
                messages.WARNING,
            )

    @admin.action(description=_("Approve the selected requests to join a company"))
    def approve_selected(self, request, queryset):
        self._decide(request, queryset, approve=True)

    @admin.action(description=_("Refuse the selected requests to join a company"))
    def refuse_selected(self, request, queryset):
        self._decide(request, queryset, approve=False)
