"""The coordinator's admin for needs: categories, routing rules, needs (recorded on a
member's behalf, imported in bulk, routed again or sent to an agency) and routed needs.

Needs are created and routed through the services, never by a plain save, so the
routing, its events and the notifications happen as they do on the site."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from incubators.models import Advisor, Agency, Company

from . import importing, services
from .models import Need, NeedMessage, RoutedNeed, RoutedNeedEvent, RoutingRule, SlotOffer

# --- Routing rules ---------------------------------------------------------------------

ANY = [("", _("Any"))]


class RoutingRuleForm(forms.ModelForm):
    stage = forms.ChoiceField(
        label=_("only at this stage"), choices=ANY + Company.Stage.choices, required=False
    )
    sector = forms.ChoiceField(
        label=_("only in this sector"), choices=ANY + Company.Sector.choices, required=False
    )

    class Meta:
        model = RoutingRule
        fields = ["category", "incubator", "stage", "sector", "agencies", "is_active"]


def _choice_filter(field_name: str, label, choices) -> type[admin.SimpleListFilter]:
    class ChoiceFilter(admin.SimpleListFilter):
        title = label
        parameter_name = field_name

        def lookups(self, request, model_admin):
            return [("any", _("Any")), *choices]

        def queryset(self, request, queryset):
            if self.value() == "any":
                return queryset.filter(**{field_name: ""})
            if self.value():
                return queryset.filter(**{field_name: self.value()})
            return queryset

    return ChoiceFilter


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    form = RoutingRuleForm
    list_display = [
        "__str__",
        "incubator",
        "stage_display",
        "sector_display",
        "agency_list",
        "is_active",
    ]
    list_display_links = ["__str__"]
    list_editable = ["is_active"]
    list_filter = [
        "is_active",
        "category",
        "incubator",
        _choice_filter("stage", _("stage"), Company.Stage.choices),
        _choice_filter("sector", _("sector"), Company.Sector.choices),
        "agencies",
    ]
    list_select_related = ["category", "incubator"]
    filter_horizontal = ["agencies"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("agencies")

    @admin.display(description=_("stage"), ordering="stage")
    def stage_display(self, obj: RoutingRule) -> str:
        return dict(Company.Stage.choices).get(obj.stage, obj.stage) or "—"

    @admin.display(description=_("sector"), ordering="sector")
    def sector_display(self, obj: RoutingRule) -> str:
        return dict(Company.Sector.choices).get(obj.sector, obj.sector) or "—"

    @admin.display(description=_("routed to"))
    def agency_list(self, obj: RoutingRule) -> str:
        return ", ".join(agency.short_name for agency in obj.agencies.all())


# --- Needs -----------------------------------------------------------------------------


class RoutedNeedInline(admin.TabularInline):
    model = RoutedNeed
    fk_name = "need"
    extra = 0
    fields = ["agency", "status", "assigned_to", "ack_due_at", "acknowledged_at", "closed_at"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("agency", "assigned_to__user", "assigned_to__agency")
        )


class NeedAddForm(forms.ModelForm):
    """What the coordinator records on a member's behalf; the service does the rest."""

    class Meta:
        model = Need
        fields = ["user", "category", "description", "urgency", "consent"]
        help_texts = {
            "consent": _(
                "Tick only if the entrepreneur agreed that this need, their name, company and "
                "incubator are shared with the agency that answers it. Without it the need "
                "is recorded but not routed."
            ),
        }


class SendToAgencyForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    note = forms.CharField(
        label=_("Note for the agency"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(is_active=True)


class NeedImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("A .csv or .xlsx file with one need per row.")
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file, import nothing"), required=False, initial=True
    )


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "user",
        "company",
        "incubator",
        "category",
        "urgency",
        "consent",
        "source",
        "created_at",
    ]
    list_filter = ["category", "urgency", "consent", "source", "incubator", "created_at"]
    search_fields = [
        "user__email",
        "user__first_name",
        "user__last_name",
        "company__name",
        "description",
    ]
    list_select_related = ["user", "company", "incubator", "category"]
    autocomplete_fields = ["user", "category"]
    date_hierarchy = "created_at"
    actions = ["route_again", "send_to_agency"]
    change_list_template = "admin/needs/need/change_list.html"
    # On a recorded need the coordinator corrects the category, text and urgency; consent
    # is the entrepreneur's to change, from their needs page.
    change_readonly_fields = [
        "user",
        "company",
        "incubator",
        "consent",
        "consent_changed_at",
        "source",
        "booking",
        "created_by",
        "created_at",
    ]
    change_layout = [
        "user",
        "company",
        "incubator",
        "category",
        "description",
        "urgency",
        "consent",
        "consent_changed_at",
        "source",
        "booking",
        "created_by",
        "created_at",
    ]

    def get_fields(self, request, obj=None):
        return NeedAddForm._meta.fields if obj is None else self.change_layout

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.change_readonly_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = NeedAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_inlines(self, request, obj):
        return [] if obj is None else [RoutedNeedInline]

    def save_form(self, request, form, change):
        if change:
            return super().save_form(request, form, change)
        # Recording a need is the service's work (routing, events, notifications): the
        # admin goes on (history, messages, redirect) with the need it created.
        data = form.cleaned_data
        return services.need_create(
            user=data["user"],
            category=data["category"],
            description=data["description"],
            urgency=data["urgency"],
            consent=data["consent"],
            source=Need.Source.COORDINATOR,
            created_by=request.user,
        )

    def save_model(self, request, obj, form, change):
        # A new need is already saved, by save_form; a change saves what the form edits.
        if change and form.changed_data:
            obj.save(update_fields=form.changed_data)

    def save_related(self, request, form, formsets, change):
        if change:  # the add form has no related objects: the service made the routings
            super().save_related(request, form, formsets, change)

    def response_add(self, request, obj, post_url_continue=None):
        agencies = ", ".join(
            r.agency.short_name for r in obj.routings.select_related("agency").order_by("pk")
        )
        if agencies:
            self.message_user(
                request, _("Routed to %(agencies)s.") % {"agencies": agencies}, messages.INFO
            )
        elif obj.consent:
            self.message_user(
                request,
                _("No routing rule matched: send it to an agency with the action."),
                messages.WARNING,
            )
        return super().response_add(request, obj, post_url_continue)

    @admin.action(description=_("Route again by the rules"), permissions=["change"])
    def route_again(self, request, queryset):
        routed = skipped = 0
        for need in queryset.select_related("company"):
            if not need.consent:
                skipped += 1
                continue
            routed += len(services.need_route(need=need, by=request.user))
        self.message_user(
            request,
            _(
                "New routings: %(routed)d. Needs without consent, not routed: %(skipped)d. "
                "A need already open at an agency is not sent there twice."
            )
            % {"routed": routed, "skipped": skipped},
            messages.SUCCESS,
        )

    @admin.action(description=_("Send to an agency…"), permissions=["change"])
    def send_to_agency(self, request, queryset):
        needs = list(queryset.select_related("user", "category").order_by("pk"))
        form = SendToAgencyForm(request.POST if "confirm" in request.POST else None)
        if form.is_valid():
            agency, note = form.cleaned_data["agency"], form.cleaned_data["note"]
            sent = 0
            for need in needs:
                try:
                    services.route_override(need=need, agency=agency, by=request.user, note=note)
                except services.NeedRefused as exc:
                    self.message_user(
                        request,
                        _("Need %(need)s (#%(pk)d): %(error)s")
                        % {"need": need, "pk": need.pk, "error": exc.message},
                        messages.ERROR,
                    )
                else:
                    sent += 1
            if sent:
                self.message_user(
                    request,
                    ngettext(
                        "Sent to %(agency)s: %(count)d need.",
                        "Sent to %(agency)s: %(count)d needs.",
                        sent,
                    )
                    % {"agency": agency.short_name, "count": sent},
                    messages.SUCCESS,
                )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Send needs to an agency"),
            "form": form,
            "needs": needs,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/needs/need/send_to_agency.html", context)

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="needs_need_import"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = NeedImportForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            dry_run = form.cleaned_data["dry_run"]
            try:
                rows = importing.read_rows(filename=upload.name, content=upload.read())
            except importing.ImportFileError as exc:
                form.add_error("file", str(exc))
            else:
                report = importing.needs_import(
                    rows=rows, imported_by=request.user, dry_run=dry_run
                )
                if report.ok and not dry_run:
                    messages.success(
                        request,
                        _(
                            "Imported %(rows)d rows: %(created)d new needs, %(routed)d routed "
                            "at once, %(unchanged)d already recorded."
                        )
                        % {
                            "rows": report.rows,
                            "created": report.created,
                            "routed": report.routed,
                            "unchanged": report.unchanged,
                        },
                    )
                    return redirect(reverse("admin:needs_need_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import needs"),
            "form": form,
            "report": report,
            "columns": importing.COLUMNS,
        }
        return TemplateResponse(request, "admin/needs/need/import.html", context)


# --- Routed needs ----------------------------------------------------------------------


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue()
        if self.value() == "no":
            return queryset.exclude(RoutedNeed.overdue_q())
        return queryset


class ReadOnlyInline(admin.TabularInline):
    """A record of what happened: shown, never added, changed or deleted by hand."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RoutedNeedEventInline(ReadOnlyInline):
    model = RoutedNeedEvent
    fields = ["created_at", "actor", "from_status", "to_status", "what", "note"]

    @admin.display(description=_("summary"))
    def what(self, obj: RoutedNeedEvent) -> str:
        return obj.summary  # in the coordinator's language

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class NeedMessageInline(ReadOnlyInline):
    model = NeedMessage
    fields = ["created_at", "author", "from_agency", "body"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


class SlotOfferInline(ReadOnlyInline):
    """The slots the agency offered from the need, and the one booked."""

    model = SlotOffer
    fields = ["created_at", "created_by", "offered_slots", "message", "taken_booking"]

    @admin.display(description=_("slots offered"))
    def offered_slots(self, offer: SlotOffer) -> str:
        return ", ".join(str(slot) for slot in offer.slots.all())

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(
                "created_by",
                "taken_booking__user",
                "taken_booking__slot__agency",
                "taken_booking__slot__incubator",
            )
            .prefetch_related("slots__agency", "slots__incubator")
        )


class RoutedNeedForm(forms.ModelForm):
    class Meta:
        model = RoutedNeed
        fields = ["assigned_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "assigned_to" in self.fields and self.instance.agency_id:
            self.fields["assigned_to"].queryset = Advisor.objects.filter(
                agency_id=self.instance.agency_id, is_active=True
            ).select_related("user", "agency")


@admin.register(RoutedNeed)
class RoutedNeedAdmin(admin.ModelAdmin):
    """Routed needs move through the agency's inbox; here the coordinator follows them and
    can (re)assign one to an advisor of the agency. Everything else is history."""

    form = RoutedNeedForm
    list_display = [
        "need",
        "agency",
        "status",
        "assigned_to",
        "ack_due_at",
        "overdue",
        "created_at",
    ]
    list_filter = ["status", "agency", OverdueFilter]
    list_select_related = [
        "need__user",
        "need__category",
        "agency",
        "assigned_to__user",
        "assigned_to__agency",
    ]
    search_fields = ["need__user__email", "need__user__last_name", "need__description"]
    date_hierarchy = "created_at"
    fields = [
        "need",
        "agency",
        "status",
        "assigned_to",
        "ack_due_at",
        "acknowledged_at",
        "closed_at",
        "transferred_from",
        "created_at",
        "updated_at",
    ]
    readonly_fields = [name for name in fields if name != "assigned_to"]
    inlines = [RoutedNeedEventInline, NeedMessageInline, SlotOfferInline]
    change_list_template = "admin/needs/routedneed/change_list.html"

    def has_add_permission(self, request):
        return False  # needs are routed by the rules or the "send to an agency" action

    def has_delete_permission(self, request, obj=None):
        return False  # the history stays

    @admin.display(description=_("overdue"), boolean=True, ordering="ack_due_at")
    def overdue(self, obj: RoutedNeed) -> bool:
        return obj.is_overdue

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status not in RoutedNeed.OPEN_STATUSES:
            return self.fields  # a closed need can no longer be assigned: the service refuses
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if "assigned_to" in form.changed_data:
            services.routed_need_assign(
                routed=obj, advisor=form.cleaned_data["assigned_to"], by=request.user
            )
