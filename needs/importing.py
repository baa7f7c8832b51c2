"""Bulk import of needs the coordinator collected (after visits, from an incubator's list).

Like the member import: every row is validated first; if any row has an error, nothing is
written and the coordinator gets the errors by row number. Otherwise each row becomes a
need through `services.need_create`, routed at once when the entrepreneur consented, all
in one transaction. A row matching a need already recorded (same person, category and
text) is skipped, so importing the same file twice records nothing the second time."""

from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from accounts.models import User
from common.spreadsheets import ImportFileError, choice_code, form_errors
from common.spreadsheets import read_rows as read_sheet
from incubators.models import NeedCategory

from . import services
from .models import Need, RoutedNeed

__all__ = ["COLUMNS", "ImportFileError", "ImportReport", "needs_import", "read_rows"]

# Accepted column headings (lower-cased), in English, French and Dutch.
COLUMNS = {
    "email": {
        "email",
        "e-mail",
        "mail",
        "courriel",
        "adresse e-mail",
        "e-mailadres",
        "entrepreneur",
        "ondernemer",
        "user",
        "utilisateur",
        "gebruiker",
    },
    "category": {"category", "catégorie", "categorie", "thème", "theme", "thema", "domaine"},
    "description": {
        "description",
        "need",
        "besoin",
        "behoefte",
        "beschrijving",
        "omschrijving",
        "question",
        "vraag",
        "what you need",
    },
    "urgency": {"urgency", "urgence", "urgentie", "dringendheid", "priority", "priorité"},
    "consent": {"consent", "consentement", "accord", "toestemming", "shared", "partagé"},
}
REQUIRED = ("email", "category", "description", "consent")

YES = {"yes", "y", "oui", "o", "ja", "j", "1", "true", "vrai", "waar", "x"}
NO = {"no", "n", "non", "nee", "0", "false", "faux", "onwaar"}
URGENCY_WORDS = {
    "faible": Need.Urgency.LOW,
    "basse": Need.Urgency.LOW,
    "laag": Need.Urgency.LOW,
    "normale": Need.Urgency.NORMAL,
    "normaal": Need.Urgency.NORMAL,
    "moyenne": Need.Urgency.NORMAL,
    "haute": Need.Urgency.HIGH,
    "élevée": Need.Urgency.HIGH,
    "hoog": Need.Urgency.HIGH,
    "urgent": Need.Urgency.HIGH,
    "dringend": Need.Urgency.HIGH,
}


def read_rows(*, filename: str, content: bytes) -> list[dict[str, object]]:
    """The rows of a .csv or .xlsx file as {column: value}, by the headings of row 1."""
    return read_sheet(filename=filename, content=content, columns=COLUMNS, required=REQUIRED)


class NeedRowForm(forms.Form):
    email = forms.EmailField()
    category = forms.CharField()
    description = forms.CharField(max_length=3000)
    urgency = forms.CharField(required=False)
    consent = forms.CharField(required=False)

    def __init__(self, *args, users: dict[str, User], categories: dict[str, NeedCategory], **kw):
        super().__init__(*args, **kw)
        self.users = users
        self.categories = categories

    def clean_email(self) -> User:
        email = self.cleaned_data["email"].lower()
        user = self.users.get(email)
        if user is None:
            raise forms.ValidationError(
                _("No account with this email: %(value)s.") % {"value": email}
            )
        if not user.is_active:
            raise forms.ValidationError(
                _("This account is deactivated: %(value)s.") % {"value": email}
            )
        return user

    def clean_category(self) -> NeedCategory:
        value = self.cleaned_data["category"].strip()
        category = self.categories.get(value.lower())
        if category is None:
            raise forms.ValidationError(_("Unknown category: %(value)s.") % {"value": value})
        return category

    def clean_urgency(self) -> str:
        value = self.cleaned_data["urgency"].strip()
        if not value:
            return Need.Urgency.NORMAL
        code = choice_code(value, Need.Urgency.choices) or URGENCY_WORDS.get(value.lower())
        if code is None:
            raise forms.ValidationError(
                _("Unknown urgency: %(value)s (low, normal or high).") % {"value": value}
            )
        return code

    def clean_consent(self) -> bool:
        value = self.cleaned_data["consent"].strip().lower()
        if value in YES:
            return True
        if value in NO:
            return False
        raise forms.ValidationError(
            _("Say whether the entrepreneur agreed to share the need: yes or no.")
        )


@dataclass
class ImportReport:
    errors: list[tuple[int, str]] = field(default_factory=list)
    rows: int = 0
    created: int = 0
    routed: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):  # an Excel TRUE/FALSE cell
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():  # an Excel 1 or 0
        return str(int(value))
    return str(value).strip()


def _categories_by_name() -> dict[str, NeedCategory]:
    """Every category by its code and its name in each of the site's languages."""
    names = {}
    for category in NeedCategory.objects.all():
        names[category.slug.lower()] = category
        for language, _language_name in settings.LANGUAGES:
            name = getattr(category, f"name_{language}", None)
            if name:
                names.setdefault(name.strip().lower(), category)
    return names


def _users_by_email(rows: list[dict[str, object]]) -> dict[str, User]:
    emails = {_text(row.get("email")).lower() for row in rows} - {""}
    users = User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails)
    return {user.email_lower: user for user in users}


def needs_import(
    *, rows: list[dict[str, object]], imported_by: User, dry_run: bool = False
) -> ImportReport:
    report = ImportReport(rows=len(rows))
    users = _users_by_email(rows)
    categories = _categories_by_name()
    recorded = set(
        Need.objects.filter(user__in=users.values()).values_list(
            "user_id", "category_id", "description"
        )
    )
    cleaned, seen = [], set()
    for index, raw in enumerate(rows, start=2):  # row 1 holds the headings
        form = NeedRowForm(
            data={column: _text(value) for column, value in raw.items()},
            users=users,
            categories=categories,
        )
        if not form.is_valid():
            report.errors.append((index, form_errors(form)))
            continue
        data = form.cleaned_data
        key = (data["email"].pk, data["category"].pk, data["description"])
        if key in seen:
            report.errors.append((index, _("This need appears twice in the file.")))
            continue
        seen.add(key)
        if key in recorded:
            report.unchanged += 1
            continue
        cleaned.append(data)
    if report.errors or dry_run:
        return report
    with transaction.atomic():
        needs = [
            services.need_create(
                user=data["email"],
                category=data["category"],
                description=data["description"],
                urgency=data["urgency"],
                consent=data["consent"],
                source=Need.Source.IMPORT,
                created_by=imported_by,
            )
            for data in cleaned
        ]
    report.created = len(needs)
    report.routed = RoutedNeed.objects.filter(need__in=needs).values("need_id").distinct().count()
    return report
