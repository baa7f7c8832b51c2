"""Bulk import of incubator members from the CSV / XLSX files incubators keep.

Every row is validated first; if any row has an error, nothing is written and the
coordinator gets the list of errors by row number. Otherwise all rows are written in
one transaction. Importing the same file twice changes nothing the second time.
"""

from dataclasses import dataclass, field

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from accounts.models import User
from common.spreadsheets import ImportFileError, choice_code, form_errors
from common.spreadsheets import read_rows as read_sheet

from .models import Company, Incubator, Membership
from .validators import enterprise_number_normalize, validate_enterprise_number

__all__ = ["COLUMNS", "ImportFileError", "ImportReport", "members_import", "read_rows"]

# Accepted column headings (lower-cased), in English, French and Dutch.
COLUMNS = {
    "company": {"company", "name", "entreprise", "société", "societe", "bedrijf", "onderneming"},
    "enterprise_number": {
        "enterprise_number",
        "enterprise number",
        "bce",
        "kbo",
        "numéro d'entreprise",
        "numero d'entreprise",
        "ondernemingsnummer",
        "vat",
        "tva",
        "btw",
    },
    "country": {"country", "pays", "land"},
    "sector": {"sector", "secteur"},
    "stage": {"stage", "stade", "fase"},
    "incubator": {"incubator", "incubateur", "incubator/coworking", "lieu", "locatie", "place"},
    "member_since": {
        "member_since",
        "member since",
        "start",
        "depuis",
        "membre depuis",
        "lid sinds",
    },
    "member_until": {"member_until", "member until", "end", "jusqu'au", "lid tot"},
    "website": {"website", "site", "site web"},
    "contact_email": {"contact_email", "email", "e-mail", "contact", "courriel"},
}
REQUIRED = ("company", "incubator", "member_since", "sector", "stage")


def read_rows(*, filename: str, content: bytes) -> list[dict[str, object]]:
    return read_sheet(filename=filename, content=content, columns=COLUMNS, required=REQUIRED)


class MemberRowForm(forms.Form):
    company = forms.CharField(max_length=200)
    enterprise_number = forms.CharField(required=False)
    country = forms.CharField(required=False)
    sector = forms.CharField()
    stage = forms.CharField()
    incubator = forms.CharField()
    member_since = forms.DateField(input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y"])
    member_until = forms.DateField(
        required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y"]
    )
    website = forms.URLField(required=False, assume_scheme="https")
    contact_email = forms.EmailField(required=False)

    def clean_country(self) -> str:
        value = (self.cleaned_data.get("country") or "BE").strip()
        code = countries.by_name(value) or (value.upper() if value.upper() in countries else "")
        if not code:
            raise forms.ValidationError(_("Unknown country: %(value)s.") % {"value": value})
        return code

    def clean_sector(self) -> str:
        code = choice_code(self.cleaned_data["sector"], Company.Sector.choices)
        if code is None:
            raise forms.ValidationError(_("Unknown sector."))
        return code

    def clean_stage(self) -> str:
        code = choice_code(self.cleaned_data["stage"], Company.Stage.choices)
        if code is None:
            raise forms.ValidationError(_("Unknown stage."))
        return code

    def clean_incubator(self) -> Incubator:
        value = self.cleaned_data["incubator"].strip()
        incubator = (
            Incubator.objects.filter(slug=value.lower()).first()
            or Incubator.objects.filter(name__iexact=value).first()
        )
        if incubator is None:
            raise forms.ValidationError(_("Unknown incubator: %(value)s.") % {"value": value})
        return incubator

    def clean(self):
        data = super().clean()
        number = enterprise_number_normalize(data.get("enterprise_number", ""))
        country = data.get("country")
        if country == "BE":
            if not number:
                self.add_error(
                    "enterprise_number", _("A Belgian company needs its enterprise number.")
                )
            else:
                try:
                    validate_enterprise_number(number)
                except forms.ValidationError as exc:
                    self.add_error("enterprise_number", exc)
        elif number:
            self.add_error(
                "enterprise_number",
                _("Only companies registered in Belgium have a Belgian enterprise number."),
            )
        data["enterprise_number"] = number
        since, until = data.get("member_since"), data.get("member_until")
        if since and until and until < since:
            self.add_error("member_until", _("The end date is before the start date."))
        return data


@dataclass
class ImportReport:
    errors: list[tuple[int, str]] = field(default_factory=list)
    companies_created: int = 0
    memberships_created: int = 0
    unchanged: int = 0
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def members_import(
    *, rows: list[dict[str, object]], imported_by: User, dry_run: bool = False
) -> ImportReport:
    report = ImportReport(rows=len(rows))
    cleaned = []
    seen: set[tuple[str, int]] = set()
    for index, raw in enumerate(rows, start=2):  # row 1 holds the headings
        form = MemberRowForm(data={k: "" if v is None else str(v).strip() for k, v in raw.items()})
        if not form.is_valid():
            report.errors.append((index, form_errors(form)))
            continue
        data = form.cleaned_data
        key = (data["enterprise_number"] or data["company"].lower(), data["incubator"].pk)
        if key in seen:
            report.errors.append((index, _("This company appears twice for this incubator.")))
            continue
        seen.add(key)
        cleaned.append(data)
    if report.errors or dry_run:
        return report
    with transaction.atomic():
        for data in cleaned:
            _import_row(data=data, imported_by=imported_by, report=report)
    return report


def _import_row(*, data: dict, imported_by: User, report: ImportReport) -> None:
    if data["enterprise_number"]:
        lookup = {"enterprise_number": data["enterprise_number"]}
    else:
        lookup = {"name__iexact": data["company"], "country": data["country"]}
    company = Company.objects.filter(**lookup).first()
    if company is None:
        company = Company.objects.create(
            name=data["company"],
            enterprise_number=data["enterprise_number"],
            country=data["country"],
            sector=data["sector"],
            stage=data["stage"],
            website=data.get("website") or "",
        )
        report.companies_created += 1
    if data.get("contact_email"):
        contact = User.objects.filter(email__iexact=data["contact_email"]).first()
        if contact:
            company.people.add(contact)
    exists = (
        Membership.objects.filter(
            company=company, incubator=data["incubator"], start=data["member_since"]
        ).exists()
        or Membership.objects.filter(
            company=company,
            incubator=data["incubator"],
            status__in=[Membership.Status.PENDING, Membership.Status.CONFIRMED],
            end__isnull=True,
        ).exists()
    )
    if exists:
        report.unchanged += 1
        return
    Membership.objects.create(
        company=company,
        incubator=data["incubator"],
        start=data["member_since"],
        end=data.get("member_until"),
        status=Membership.Status.CONFIRMED,
        requested_by=imported_by,
        decided_by=imported_by,
        decided_at=timezone.now(),
    )
    report.memberships_created += 1
