from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from events import views as event_views
from hub_eu.core import privacy as core_privacy
from hub_eu.core import views as core_views
from permanences import views as permanence_views

# The admin logs in through allauth's form, with its rate limits, so brute force on
# /admin/ meets the same limits as the rest of the site.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "hub.eu"
admin.site.site_title = "hub.eu"
admin.site.index_title = "Coordination"

urlpatterns = [
    path("healthz/", core_views.healthz, name="healthz"),
    # Calendar apps fetch the feed without a language prefix or a session.
    path("calendar/<str:token>.ics", permanence_views.calendar_feed, name="calendar_feed"),
    path("events.ics", event_views.events_feed, name="events_feed"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The agencies' API: no language prefix (it follows Accept-Language), no session.
    path("api/", include("api.urls")),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("me/", core_views.dashboard, name="dashboard"),
    path("me/", include("accounts.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("surveys.urls")),
    path("", include("hackathons.urls")),
    path("", include("community.urls")),
    path("", include("calls.urls")),
    path("", include("landing.urls")),
    path("", include("edih.urls")),
    path("", include("journeys.urls")),
    path("", include("cockpit.urls")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    # The demo mailbox answers 404 unless DEBUG is on.
    path("dev/mail/", core_views.mailbox, name="dev_mailbox"),
    path("dev/mail/<str:key>/", core_views.mailbox_message, name="dev_mailbox_message"),
    # The page with nothing but the layout: the baseline of `make bench`.
    path("blank/", core_views.blank, name="blank"),
    path("privacy/", core_privacy.privacy, name="privacy"),
    path("accessibility/", core_views.accessibility, name="accessibility"),
    path("", include("permanences.urls")),
    path("", include("events.urls")),
    path("", include("needs.urls")),
    path("", include("incubators.urls")),
    prefix_default_language=True,
)

# Error pages in the layout and the reader's language (hub_eu/core/errors.py).
handler400 = "hub_eu.core.errors.bad_request"
handler403 = "hub_eu.core.errors.permission_denied"
handler404 = "hub_eu.core.errors.page_not_found"
handler500 = "hub_eu.core.errors.server_error"
