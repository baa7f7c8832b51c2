"""Every URL pattern of the site, the admin's and allauth's included, requested as each
role with hostile values in its path arguments, its query parameters and its form fields:
no answer is a server error, no page echoes a script unescaped, and nobody reads another
person's or another agency's object.

The patterns come from the URL resolver, so a new page is covered the day it is added.
The query parameters and form fields a page reads are found in its own links and forms
(and in a short list of names read in code), then each gets hostile values: a sample of
them per page, not every combination, to keep the run under a minute.
"""

import copy
import itertools
import re
import traceback
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

import pytest
from django.conf import settings
from django.contrib import admin
from django.db import DatabaseError, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern
from django.utils import timezone

from accounts.models import Role, User

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SCRIPT = '<script>alert("hostile")</script>'
HOSTILE: list[str | bytes] = [
    "",
    "0",
    "-1",
    "99999999999999999999",
    "abc",
    "1.5",
    "\x00",
    "a\x00b",
    "../../etc/passwd",
    SCRIPT,
    "' OR 1=1 --",
    "x" * 5000,
    "é",
    "🙂",
    "\u202eשלום\u202c",
    b"\xff\xfe",  # not UTF-8
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "2026-W99",
    "1e309",
    "NaN",
    "true",
    " ",
]
# Sent to every page of the site's own (not the admin's, whose 200 pages share Django's
# code): NUL (PostgreSQL refuses it), a number too large for SQLite, invalid UTF-8, a word
# that redirect() takes for a view name, the script.
WORST: list[str | bytes] = ["a\x00b", "99999999999999999999", b"\xff\xfe", "abc", SCRIPT]

# Names the views read from request.GET (grep request.GET / the GET filter forms), and
# the ones any page might be sent; each page gets them all, besides those of its links.
QUERY_NAMES = [
    "page",
    "next",
    "since",
    "until",
    "date_from",
    "date_to",
    "week",
    "weeks",
    "q",
    "o",
    "p",
    "format",
    "lang",
    "slot",
    "token",
    "all",
    "past",
    "ask",
    "category",
    "done",
    "handled",
    "agency",
    "incubator",
    "language",
    "topic",
    "status",
    "day",
    "period",
    "e",
    "_to_field",
    "_popup",
    "_changelist_filters",
    # the European hub's filters
    "sector",
    "stage",
    "looking_for",
    "v",
    "theme",
    "phase",
    "funder_kind",
    "country",
    "stuck",
    "arrival",
]

# Fields of POST-only endpoints (no form on the page to read them from).
POST_FIELDS = {
    "incubators:manager_membership_decide": ["decision", "reason", "next"],
    "needs:need_consent": ["consent"],
    "needs:offer_book": ["topic", "language", "category", "consent_share_profile"],
    "needs:inbox_action": ["note", "message", "agency", "reason", "slots", "advisor", "next"],
    "permanences:advisor_mark_attendance": ["status", "outcome", "next"],
    "permanences:booking_cancel": ["reason", "next"],
    "permanences:calendar_feed_renew": ["next"],
    "permanences:calendar_feed_revoke": ["next"],
    "surveys:suggestion_handle": ["handled", "query", "next"],
    "notifications:unsubscribe": ["List-Unsubscribe"],
    "account_logout": ["next"],
}

LANGUAGES = ["fr", "nl"]
ROLES = ["anonymous", "entrepreneur", "advisor", "incubator_manager", "coordinator"]
DEMO_USERS = {
    "entrepreneur": "entrepreneur@demo.hub.brussels",
    "advisor": "advisor.impulse@demo.hub.brussels",
    "incubator_manager": "manager@demo.hub.brussels",
    "coordinator": "coordinator@demo.hub.brussels",
}
# Pages that show one person's, one agency's or one incubator's object: another's is
# never a 200 for anyone but the coordinator.
PRIVATE = {
    "permanences:booking_detail",
    "permanences:booking_calendar",
    "permanences:booking_cancel",
    "permanences:booking_reschedule",
    "permanences:advisor_booking",
    "needs:need_detail",
    "needs:need_reply",
    "needs:inbox_detail",
    "surveys:suggestion_handle",
    "incubators:manager_members",
    "incubators:manager_membership_decide",
    "calls:score",
    "calls:conflict",
    "calls:file",
    "calls:file_delete",
    "community:edit",
    "community:publish",
    "community:unpublish",
    "community:messages",
    "edih:request_detail",
    "edih:agency_detail",
    "edih:agency_outcome",
    "landing:step_toggle",
}


# --- The URL patterns --------------------------------------------------------------------


@dataclass
class Route:
    name: str  # namespace:name, or the view's dotted path when it has no name
    parts: list  # the chain of patterns from the root
    callback: object

    @property
    def is_admin(self) -> bool:
        return self.name.startswith("admin:")

    @property
    def kwargs(self) -> list[str]:
        found = re.findall(r"\(\?P<(\w+)>|<(?:\w+:)?(\w+)>", "".join(map(_template, self.parts)))
        return [a or b for a, b in found]

    def url(self, language: str, values: dict[str, str | bytes]) -> str:
        path = "/"
        for part in self.parts:
            if isinstance(part, LocalePrefixPattern):
                path += f"{language}/"
                continue
            text = _template(part)
            text = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: _quote(values[m[1]]), text)
            text = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: _quote(values[m[1]]), text)
            path += text.lstrip("^").rstrip("$")
        return path


def _template(part) -> str:
    if isinstance(part, RoutePattern):
        return str(part._route)
    if isinstance(part, RegexPattern):
        return part._regex
    return ""


def _quote(value: str | bytes | int) -> str:
    return quote(value if isinstance(value, bytes) else str(value), safe="")


def _routes() -> list[Route]:
    routes = []

    def walk(patterns, parts, namespaces):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                spaces = namespaces + ([pattern.namespace] if pattern.namespace else [])
                walk(pattern.url_patterns, [*parts, pattern.pattern], spaces)
            elif isinstance(pattern, URLPattern):
                callback = pattern.callback
                name = pattern.name or f"{callback.__module__}.{callback.__qualname__}"
                name = ":".join([*namespaces, name])
                routes.append(Route(name, [*parts, pattern.pattern], callback))

    walk(get_resolver().url_patterns, [], [])
    return routes


def _reaches(route: Route, path: str) -> bool:
    """Whether the path gets to the route's view (a value the converter refuses is the
    resolver's 404, the same for every page, and is left out)."""
    try:
        decoded = unquote(path, errors="strict")
    except UnicodeDecodeError:
        decoded = path
    try:
        match = resolve(decoded)
    except (Resolver404, ValueError):
        return False
    return match.func is route.callback


# --- Valid values from the demo data -----------------------------------------------------


def _first(queryset):
    return queryset.order_by("pk").first()


def _admin_values(route: Route) -> dict[str, str]:
    """The first object of the ModelAdmin the route belongs to."""
    from django.contrib.contenttypes.models import ContentType

    from incubators.models import Incubator

    url_name = route.name.split(":", 1)[1]
    values = {"app_label": "incubators", "url": "nothing/here/"}
    incubator = _first(Incubator.objects.all())
    values["content_type_id"] = str(ContentType.objects.get_for_model(Incubator).pk)
    values["object_id"] = str(incubator.pk)
    for model in admin.site._registry:
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if url_name.startswith(prefix):
            obj = _first(model._default_manager.all())
            if obj is not None:
                values["object_id"] = values["id"] = quote(str(obj.pk), safe="")
            else:
                values["object_id"] = values["id"] = "1"
    return values


def _object_values(user: User | None) -> dict[str, tuple[dict, dict]]:
    """For each page with arguments: the arguments of an object of `user`'s own, and of
    somebody else's (or an empty dict when the demo has none)."""
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC

    from incubators.models import Agency, Incubator, Membership
    from needs.models import Need, RoutedNeed, SlotOffer
    from notifications.emails import unsubscribe_token
    from permanences.models import Booking, CalendarFeed, Slot
    from surveys.models import Invitation, Suggestion, Survey
    from surveys.tokens import invitation_token

    someone = user or User.objects.get(email=DEMO_USERS["entrepreneur"])
    agency = getattr(getattr(someone, "advisor_profile", None), "agency", None)
    managed = Incubator.objects.filter(managers=someone)
    values: dict[str, tuple[dict, dict]] = {}

    def pair(name, own, other, convert):
        own_obj, other_obj = _first(own), _first(other)
        values[name] = (
            convert(own_obj) if own_obj is not None else {},
            convert(other_obj) if other_obj is not None else {},
        )

    bookings = Booking.objects.all()
    pair(
        "bookings",
        bookings.filter(user=someone),
        bookings.exclude(user=someone),
        lambda b: {"pk": b.pk},
    )
    for name in ("booking_detail", "booking_calendar", "booking_cancel", "booking_reschedule"):
        values[f"permanences:{name}"] = values["bookings"]
    pair(
        "permanences:advisor_booking",
        bookings.filter(slot__agency=agency),
        bookings.exclude(slot__agency=agency),
        lambda b: {"pk": b.pk},
    )
    values["permanences:advisor_mark_attendance"] = values["permanences:advisor_booking"]
    open_slots = Slot.objects.filter(status=Slot.Status.OPEN, starts_at__gt=timezone.now())
    pair("permanences:booking_create", open_slots, open_slots, lambda s: {"slot_pk": s.pk})
    feeds = CalendarFeed.objects.all()
    pair(
        "calendar_feed",
        feeds.filter(user=someone),
        feeds.exclude(user=someone),
        lambda f: {"token": f.token},
    )

    needs = Need.objects.all()
    pair("needs:need_detail", needs.filter(user=someone), needs.exclude(user=someone), _pk)
    values["needs:need_consent"] = values["needs:need_detail"]
    routed = RoutedNeed.objects.all()
    pair(
        "needs:need_reply",
        routed.filter(need__user=someone),
        routed.exclude(need__user=someone),
        lambda r: {"pk": r.need_id, "routed_pk": r.pk},
    )
    offers = SlotOffer.objects.all()
    pair(
        "needs:offer_book",
        offers.filter(routed__need__user=someone),
        offers.exclude(routed__need__user=someone),
        lambda o: {
            "pk": o.routed.need_id,
            "offer_pk": o.pk,
            "slot_pk": (o.slots.first().pk if o.slots.exists() else 1),
        },
    )
    pair("needs:inbox_detail", routed.filter(agency=agency), routed.exclude(agency=agency), _pk)
    own, other = values["needs:inbox_detail"]
    values["needs:inbox_action"] = ({**own, "action": "start"}, {**other, "action": "start"})
    values["needs:overview_csv"] = ({"table": "needs"}, {})

    surveys = Survey.objects.all()
    pair("surveys:preview", surveys, surveys.none(), _pk)
    suggestions = Suggestion.objects.all()
    pair(
        "surveys:suggestion_handle",
        suggestions.filter(agency=agency),
        suggestions.exclude(agency=agency),
        _pk,
    )
    invitations = Invitation.objects.all()
    pair(
        "surveys:answer",
        invitations.filter(user=someone, answered_at=None),
        invitations.exclude(user=someone),
        lambda i: {"token": invitation_token(i)},
    )
    values["notifications:unsubscribe"] = (
        {"token": unsubscribe_token(user_id=someone.pk, preference="digest_needs")},
        {},
    )

    agencies = Agency.objects.all()
    pair("incubators:agency_detail", agencies, agencies.none(), lambda a: {"slug": a.slug})
    incubators = Incubator.objects.all()
    pair("incubators:incubator_detail", incubators, incubators.none(), lambda i: {"slug": i.slug})
    pair(
        "incubators:manager_members",
        managed,
        incubators.exclude(pk__in=managed),
        lambda i: {"slug": i.slug},
    )
    memberships = Membership.objects.all()
    pair(
        "incubators:manager_membership_decide",
        memberships.filter(incubator__in=managed),
        memberships.exclude(incubator__in=managed),
        _pk,
    )
    email = EmailAddress.objects.filter(user=someone).first()
    values["account_confirm_email"] = (
        {"key": EmailConfirmationHMAC(email).key} if email else {"key": "x"},
        {},
    )
    values["account_reset_password_from_key"] = ({"uidb36": "1", "key": "set-password"}, {})
    values["dev_mailbox_message"] = ({"key": "1"}, {})

    # The European hub.
    from calls.models import Application, ApplicationFile, Assignment, Call
    from community.models import CompanyProfile
    from edih.models import TestRequest
    from incubators.models import Theme
    from landing.models import LandingStep

    call = Call.objects.filter(slug="edih-ai-public-services")
    for name in (
        "detail",
        "apply",
        "withdraw",
        "review",
        "manage",
        "manage_invite",
        "manage_assign",
        "manage_export",
        "manage_publish",
    ):
        pair(f"calls:{name}", call, call.none(), lambda c: {"slug": c.slug})
    applications = Application.objects.select_related("call")
    pair(
        "calls:manage_application",
        applications,
        applications.none(),
        lambda a: {"slug": a.call.slug, "pk": a.pk},
    )
    assignments = Assignment.objects.select_related("application__call")
    pair(
        "calls:score",
        assignments.filter(evaluator=someone),
        assignments.exclude(evaluator=someone).exclude(application__call__managers=someone),
        lambda a: {"slug": a.application.call.slug, "pk": a.pk},
    )
    values["calls:conflict"] = values["calls:score"]
    files = ApplicationFile.objects.select_related("application__call")
    pair(
        "calls:file",
        files.filter(application__applicant=someone),
        files.exclude(application__applicant=someone).exclude(application__call__managers=someone),
        lambda f: {"slug": f.application.call.slug, "pk": f.pk},
    )
    values["calls:file_delete"] = values["calls:file"]
    profiles = CompanyProfile.objects.filter(is_published=True)
    for name in ("detail", "contact", "contact_sent", "logo"):
        pair(f"community:{name}", profiles, profiles.none(), lambda p: {"slug": p.slug})
    pair(
        "community:edit",
        CompanyProfile.objects.filter(company__people=someone),
        CompanyProfile.objects.exclude(company__people=someone),
        lambda p: {"company_id": p.company_id},
    )
    for name in ("publish", "unpublish", "messages"):
        values[f"community:{name}"] = values["community:edit"]
    requests = TestRequest.objects.all()
    pair(
        "edih:request_detail",
        requests.filter(user=someone),
        requests.exclude(user=someone),
        _pk,
    )
    pair(
        "edih:agency_detail",
        requests.filter(need__routings__agency=agency),
        requests.exclude(need__routings__agency=agency),
        _pk,
    )
    values["edih:agency_outcome"] = values["edih:agency_detail"]
    steps = LandingStep.objects.all()
    pair(
        "landing:step_toggle",
        steps.filter(plan__user=someone),
        steps.exclude(plan__user=someone),
        _pk,
    )
    themes = Theme.objects.all()
    pair("journeys:theme_detail", themes, themes.none(), lambda t: {"slug": t.slug})
    return values


def _pk(obj) -> dict:
    return {"pk": obj.pk}


# --- What a page asks for: its links and forms -------------------------------------------


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)


class _PageReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._select: str | None = None
        self._select_first = True

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag in ("button", "a") and attrs.get("hx-get"):
            self.links.append(attrs["hx-get"])
        elif tag == "form":
            method = (attrs.get("method") or "get").lower()
            self.forms.append(Form(method, attrs.get("action") or ""))
        elif self.forms and tag in ("input", "textarea", "select", "button"):
            name = attrs.get("name")
            if not name:
                return
            fields = self.forms[-1].fields
            kind = (attrs.get("type") or "").lower()
            if tag == "select":
                self._select, self._select_first = name, True
                fields.setdefault(name, [])
            elif kind in ("checkbox", "radio"):
                if "checked" in attrs or kind == "checkbox" and name not in fields:
                    fields.setdefault(name, []).append(attrs.get("value") or "on")
                else:
                    fields.setdefault(name, [])
            elif kind != "submit" or name not in fields:
                fields.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "option" and self._select and self.forms:
            values = self.forms[-1].fields[self._select]
            if self._select_first or "selected" in attrs:
                if "selected" in attrs:
                    values.clear()
                if not values:
                    values.append(attrs.get("value") or "")
            self._select_first = False

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def _read_page(path: str, response) -> tuple[set[str], list[Form]]:
    """The query names of the page's links to itself, and its forms that post to itself or
    read its own address."""
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return set(), []
    reader = _PageReader()
    reader.feed(response.content.decode(errors="replace"))
    names = set()
    for link in reader.links:
        parts = urlsplit(link)
        if parts.path in ("", path) and parts.query:
            names |= {name for name, _ in parse_qsl(parts.query, keep_blank_values=True)}
    forms = [f for f in reader.forms if urlsplit(f.action).path in ("", path)]
    for form in forms:
        if form.method == "get":
            names |= set(form.fields)
    return names, [f for f in forms if f.method == "post"]


# --- The run ------------------------------------------------------------------------------


class Run:
    def __init__(self, client: Client, user: User | None, role: str):
        self.client, self.user, self.role = client, user, role
        self.failures: list[str] = []
        self.requests = 0
        self._turn = itertools.count()

    def sample(self, k: int, *, worst: bool = False) -> list:
        """k hostile values, a different few each time, so that every value is used; and
        first the values that broke pages before, when `worst`."""
        start = next(self._turn) * k
        rotated = [HOSTILE[(start + i) % len(HOSTILE)] for i in range(min(k, len(HOSTILE)))]
        return (WORST + [v for v in rotated if v not in WORST]) if worst else rotated

    def some(self, names: list[str], k: int | None) -> list[str]:
        """k of the names (all if None), a different few each time."""
        if k is None or len(names) <= k:
            return names
        start = next(self._turn) * k
        return [names[(start + i) % len(names)] for i in range(k)]

    def request(self, method: str, path: str, data=None, *, private=False):
        self.requests += 1
        cookies = copy.deepcopy(self.client.cookies)
        label = f"{self.role} {method.upper()} {path[:200]}"
        if data:
            label += f" {_show(data)}"
        response = None
        try:
            with transaction.atomic():
                if method == "get":
                    response = self.client.get(path)
                else:
                    body = urlencode(data or {}, doseq=True)
                    response = self.client.post(
                        path, body, content_type="application/x-www-form-urlencoded"
                    )
                # Nothing a request writes outlives it: each starts from the demo data.
                transaction.set_rollback(True)
        except DatabaseError as exc:  # the request broke the transaction: a 500 already
            if response is None:
                self.failures.append(f"{label} -> {exc!r}")
                return None
        finally:
            self.client.cookies = cookies
        if response.status_code >= 500:
            exc = getattr(response, "exc_info", None)
            self.failures.append(
                f"{label} -> {response.status_code} {exc[1]!r} at {_where(exc[2])}"
                if exc
                else f"{label} -> {response.status_code}"
            )
        elif _is_html(response) and SCRIPT.encode() in response.content:
            self.failures.append(f"{label} -> {response.status_code} echoes {SCRIPT} unescaped")
        if private and response.status_code == 200:
            self.failures.append(f"{label} -> 200 with somebody else's object")
        return response


def _is_html(response) -> bool:
    return "html" in response.get("Content-Type", "")


def _where(tb) -> str:
    """The deepest line of the project's own code the exception went through."""
    frames = traceback.extract_tb(tb)
    ours = [f for f in frames if "site-packages" not in f.filename] or frames
    return f"{ours[-1].filename.removeprefix(str(settings.BASE_DIR) + '/')}:{ours[-1].lineno}"


def _show(data: dict) -> str:
    shown = {}
    for key, value in data.items():
        value = value[0] if isinstance(value, list) and value else value
        text = repr(value)
        shown[key] = text if len(text) < 40 else text[:30] + f"...({len(value)})"
    return str(shown)


def _with_query(path: str, query: dict) -> str:
    return f"{path}?{urlencode(query)}"


def _visit(run: Run, route: Route, own: dict, other: dict, static: dict) -> None:
    names = route.kwargs
    values = {**static, **own}
    values = {name: values.get(name, "1") for name in names}
    path = route.url(LANGUAGES[0], values)
    response = run.request("get", path)
    if response is None:
        return
    # A page that is not this role's answers from its decorator, before any argument is
    # read: one hostile value of each kind is enough there. Elsewhere two values of each
    # kind, rotated so that every value is sent to many pages, and on the site's own pages
    # (not the admin's 200, all alike) the WORST values too.
    opens = response.status_code in (200, 405) and not _is_generic(route)
    k = 2 if opens else 1
    if not route.is_admin:
        run.request("get", route.url(LANGUAGES[1], values))
    if other and run.role not in ("anonymous", "coordinator"):
        foreign = route.url(LANGUAGES[0], {**values, **other})
        run.request("get", foreign, private=route.name in PRIVATE)

    # Hostile path arguments, one argument at a time. The admin reads every object id
    # with the same code: one value per page, a different one on each.
    for name in names:
        for value in run.sample(1) if route.is_admin else run.sample(k, worst=opens):
            hostile = route.url(LANGUAGES[0], {**values, name: value})
            if _reaches(route, hostile):
                run.request("get", hostile)

    # Hostile query parameters: every name at once with each value, then the page's own
    # names one by one.
    read, forms = _read_page(path, response)
    every_name = sorted(set(QUERY_NAMES) | read)
    light = route.name.endswith(("_add", "_change"))
    for value in run.sample(1 if light else k, worst=opens and not route.is_admin):
        run.request("get", _with_query(path, dict.fromkeys(every_name, value)))
    if opens:
        for name in run.some(sorted(read), 3 if route.is_admin else None):
            for value in run.sample(1):
                run.request("get", _with_query(path, {name: value}))

    # Hostile form fields, when the page takes a POST: every field at once with each
    # value, then the form as it came with one field changed.
    post_fields = {}
    for form in forms:
        post_fields.update(form.fields)
    for name in POST_FIELDS.get(route.name, []):
        post_fields.setdefault(name, [""])
    if not post_fields and response.status_code != 405:
        return
    post_fields.pop("csrfmiddlewaretoken", None)
    run.request("post", path, {})
    if not opens:
        return
    run.request("post", path, post_fields)
    for value in run.sample(k, worst=not route.is_admin):
        run.request("post", path, dict.fromkeys(post_fields, value))
    for name in run.some(sorted(post_fields), 5 if route.is_admin else None):
        for value in run.sample(1):
            run.request("post", path, {**post_fields, name: value})


ADMIN_FORMS = re.compile(r"_(add|change|changelist)$")


def _is_generic(route: Route) -> bool:
    """The admin's pages that read no form of ours: delete, history, the index..., the same
    Django code for every model. The lists, forms and our own admin views are not."""
    if not route.is_admin:
        return False
    name = route.name.split(":", 1)[1]
    if ADMIN_FORMS.search(name):
        return False
    standard = (
        "_delete",
        "_history",
        "index",
        "login",
        "logout",
        "password_change",
        "password_change_done",
        "autocomplete",
        "jsi18n",
        "view_on_site",
        "app_list",
    )
    return name.endswith(standard) or route.name.count(".") > 0


def _for_role(route: Route, role: str) -> bool:
    """The admin's object pages (change, delete, history) are alike for everyone but the
    coordinator: the login redirect of the admin site. Its lists and own views stand for
    them."""
    if not route.is_admin or role == "coordinator":
        return True
    return not ({"object_id", "id"} & set(route.kwargs) or route.name.endswith("_add"))


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The lived-in demo, loaded once for the five roles (each test runs in a savepoint of
    this transaction, and each request in a savepoint of its test), then rolled back."""
    from demo.data import load_demo_data
    from incubators.models import Agency, Language, NeedCategory, Service, Theme
    from incubators.reference_data import load_reference_data, load_themes
    from permanences.services import calendar_feed_renew

    with django_db_blocker.unblock(), transaction.atomic():
        load_reference_data(
            Language=Language, NeedCategory=NeedCategory, Agency=Agency, Service=Service
        )
        load_themes(Theme=Theme)
        load_demo_data(lived_in=True)
        for email in DEMO_USERS.values():  # a private calendar address each
            calendar_feed_renew(user=User.objects.get(email=email))
        yield
        transaction.set_rollback(True)


@pytest.fixture
def no_rate_limits(settings):
    # A limit would answer 429 before the view reads the hostile values.
    settings.ACCOUNT_RATE_LIMITS = False
    settings.RATE_LIMITS = {}


@pytest.mark.parametrize("role", ROLES)
def test_no_page_answers_a_server_error_to_hostile_values(demo, db, no_rate_limits, role):
    user = User.objects.get(email=DEMO_USERS[role]) if role in DEMO_USERS else None
    if user is not None:
        assert user.role == Role(role)
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    run = Run(client, user, role)
    objects = _object_values(user)

    for route in _routes():
        if not _for_role(route, role):
            continue
        static = _admin_values(route) if route.is_admin else {}
        own, other = objects.get(route.name, ({}, {}))
        _visit(run, route, own, other, static)

    # Pages that do not exist, with hostile addresses.
    for junk in ("/fr/%ff/", "/fr/%00/", "/fr/" + quote(SCRIPT) + "/", "/xx/", "/" + "x" * 5000):
        run.request("get", junk)

    assert not run.failures, (
        f"{len(run.failures)} of {run.requests} requests failed:\n" + "\n".join(run.failures)
    )
