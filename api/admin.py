"""The coordinator issues and revokes agency tokens (a key is shown once, on the page
that follows its creation; only its hash is kept), registers the agencies' webhook
endpoints, and reads the deliveries' log, where one can be sent again."""

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator, capfirst, format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from common.admin import WrittenByThePortal

from . import delivery, services
from .events import event_choices
from .models import AgencyToken, WebhookDelivery, WebhookEndpoint


class IssueForm(forms.ModelForm):
    class Meta:
        model = AgencyToken
        fields = ["agency", "name", "scope", "acts_as", "expires_at"]

    def clean(self):
        data = super().clean()
        agency, acts_as = data.get("agency"), data.get("acts_as")
        if data.get("scope") == AgencyToken.Scope.WRITE:
            if acts_as is None:
                self.add_error("acts_as", _("A write token needs an advisor to act as."))
            elif agency and (acts_as.agency_id != agency.pk or not acts_as.is_active):
                self.add_error("acts_as", _("Choose an active advisor of this agency."))
        return data

    def clean_expires_at(self):
        expires_at = self.cleaned_data["expires_at"]
        if expires_at and expires_at <= timezone.now():
            raise forms.ValidationError(_("Choose a moment in the future."))
        return expires_at


@admin.register(AgencyToken)
class AgencyTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "prefix", "scope", "state", "expires_at", "last_used_at"]
    list_filter = ["agency", "scope"]
    search_fields = ["name", "prefix", "agency__name"]
    actions = ["revoke"]
    readonly_fields = ["prefix", "created_by", "created_at", "last_used_at", "revoked_at"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = IssueForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["agency", "name", "scope", "acts_as", "expires_at"]
        return ["agency", "name", "scope", "acts_as", "expires_at", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["agency", "scope", "acts_as", *self.readonly_fields]

    @admin.display(description=_("state"))
    def state(self, token: AgencyToken) -> str:
        if token.revoked_at:
            return str(_("revoked"))
        if not token.is_active:
            return str(_("expired"))
        return str(_("active"))

    def save_model(self, request, obj, form, change):
        if change:  # the name and expiry can change; the key never does
            super().save_model(request, obj, form, change)
            return
        token, key = services.token_issue(
            agency=form.cleaned_data["agency"],
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            expires_at=form.cleaned_data["expires_at"],
            acts_as=form.cleaned_data["acts_as"],
            by=request.user,
        )
        obj.pk = token.pk
        obj.refresh_from_db()
        messages.warning(
            request,
            _(
                "The key of %(name)s is %(key)s. Copy it now and give it to the agency: "
                "it will not be shown again."
            )
            % {"name": token.name, "key": key},
        )

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the list keeps which tokens existed

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        revoked = sum(services.token_revoke(token=token) for token in queryset)
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", revoked)
            % {"count": revoked},
            messages.SUCCESS,
        )


class EndpointForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        label=capfirst(pgettext_lazy("webhooks", "events")),
        # The code beside each label: the name the agency's system receives.
        choices=lambda: [
            (code, format_lazy("{} ({})", label, code)) for code, label in event_choices()
        ],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["agency", "url", "description", "events", "is_active"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            services.webhook_url_check(url)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None
        return url


def _show_secret(request, endpoint: WebhookEndpoint) -> None:
    messages.warning(
        request,
        _(
            "The signing secret of %(url)s is %(secret)s. Copy it now and give it to the "
            "agency: it will not be shown again."
        )
        % {"url": endpoint.url, "secret": endpoint.secret},
    )


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = ["url", "agency", "state", "failures"]
    list_filter = ["agency", "is_active"]
    search_fields = ["url", "description", "agency__name"]
    readonly_fields = ["failures", "disabled_at", "created_by", "created_at", "log"]
    actions = ["send_ping", "start_again", "new_secret"]

    def get_fields(self, request, obj=None):
        fields = ["agency", "url", "description", "events", "is_active"]
        return fields if obj is None else [*fields, *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["agency", *self.readonly_fields]

    @admin.display(description=_("state"))
    def state(self, endpoint: WebhookEndpoint) -> str:
        if endpoint.disabled_at:
            return _("stopped after failures on %(day)s") % {
                "day": date_format(
                    timezone.localtime(endpoint.disabled_at), "SHORT_DATETIME_FORMAT"
                )
            }
        return str(_("active")) if endpoint.is_active else str(_("switched off"))

    @admin.display(description=_("deliveries"))
    def log(self, endpoint: WebhookEndpoint) -> str:
        url = (
            reverse("admin:api_webhookdelivery_changelist") + f"?endpoint__id__exact={endpoint.pk}"
        )
        return format_html('<a href="{}">{}</a>', url, _("The deliveries to this endpoint"))

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            if "is_active" in form.changed_data:
                if obj.is_active:  # started again: its failures are forgotten
                    delivery.endpoint_restart(endpoint=obj)
                else:  # switched off by hand: nothing waits for it
                    WebhookEndpoint.objects.filter(pk=obj.pk).update(disabled_at=None)
            return
        endpoint = services.webhook_register(
            agency=form.cleaned_data["agency"],
            url=form.cleaned_data["url"],
            events=form.cleaned_data["events"],
            description=form.cleaned_data["description"],
            by=request.user,
        )
        obj.pk = endpoint.pk
        obj.refresh_from_db()
        _show_secret(request, endpoint)

    @admin.action(description=_("Send a test event (ping)"), permissions=["change"])
    def send_ping(self, request, queryset):
        for endpoint in queryset:
            services.webhook_ping(endpoint=endpoint)
        self.message_user(request, _("A ping is on its way; its delivery shows in the log."))

    @admin.action(description=_("Start the selected endpoints again"), permissions=["change"])
    def start_again(self, request, queryset):
        started = sum(delivery.endpoint_restart(endpoint=endpoint) for endpoint in queryset)
        if not started:
            self.message_user(
                request, _("The selected endpoints were already running."), messages.INFO
            )
            return
        self.message_user(
            request,
            ngettext(
                "%(count)d endpoint started again: what waited for it is being sent.",
                "%(count)d endpoints started again: what waited for them is being sent.",
                started,
            )
            % {"count": started},
            messages.SUCCESS,
        )

    @admin.action(description=_("Give the selected endpoints a new secret"), permissions=["change"])
    def new_secret(self, request, queryset):
        for endpoint in queryset:
            services.webhook_secret_roll(endpoint=endpoint)
            self.log_change(request, endpoint, [{"changed": {"fields": ["secret"]}}])
            _show_secret(request, endpoint)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(WrittenByThePortal, admin.ModelAdmin):
    """The deliveries' log: what was sent, what the agency's system answered. Recorded by
    the services and sent by the worker, never written by hand."""

    list_display = ["event", "to", "state", "response_status", "created_at"]
    list_filter = ["state", "event", "endpoint__agency"]
    search_fields = ["event_id", "endpoint__url"]
    list_select_related = ["endpoint__agency"]
    date_hierarchy = "created_at"
    fields = [
        "endpoint",
        "event",
        "event_id",
        "state",
        "attempts",
        "next_attempt_at",
        "created_at",
        "delivered_at",
        "duration_ms",
        "response_status",
        "response_body",
        "last_error",
        "body",
    ]
    readonly_fields = fields
    actions = ["send_again"]

    def get_fields(self, request, obj=None):
        if obj is not None and obj.state != WebhookDelivery.State.PENDING:
            return [name for name in self.fields if name != "next_attempt_at"]
        return self.fields

    @admin.display(description=pgettext_lazy("webhooks", "endpoint"), ordering="endpoint__url")
    def to(self, obj: WebhookDelivery) -> str:
        return Truncator(obj.endpoint.url).chars(48)

    @admin.display(description=_("payload"))
    def body(self, obj: WebhookDelivery) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.payload, indent=2, ensure_ascii=False))

    @admin.action(description=_("Send the selected deliveries again"))
    def send_again(self, request, queryset):
        count = delivery.deliveries_resend(pks=list(queryset.values_list("pk", flat=True)))
        messages.success(
            request,
            ngettext(
                "%(count)s delivery will be sent again.",
                "%(count)s deliveries will be sent again.",
                count,
            )
            % {"count": count},
        )
