"""The coordinator issues and revokes agency tokens. A token's key is shown once, on the
page that follows its creation; only its hash is kept."""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import AgencyToken


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
