import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from incubators.models import Company
from incubators.validators import (
    enterprise_number_format,
    enterprise_number_is_valid,
    enterprise_number_normalize,
    validate_enterprise_number,
)


@pytest.mark.parametrize(
    "raw",
    ["0417.497.106", "BE 0417 497 106", "be0417497106", "417497106", "0417-497-106"],
)
def test_it_normalises_the_ways_people_write_an_enterprise_number(raw):
    assert enterprise_number_normalize(raw) == "0417497106"


def test_it_accepts_a_number_whose_check_digits_match():
    validate_enterprise_number("0417.497.106")
    assert enterprise_number_is_valid("0417497106")


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("0417.497.107", "enterprise_number_checksum"),
        ("0417.49", "enterprise_number_format"),
        ("abcd.efg.hij", "enterprise_number_format"),
        ("2417.497.106", "enterprise_number_format"),
    ],
)
def test_it_refuses_a_malformed_or_miscounted_number(raw, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_enterprise_number(raw)
    assert excinfo.value.code == code


def test_it_formats_a_number_with_dots():
    assert enterprise_number_format("0417497106") == "0417.497.106"


@pytest.mark.django_db
def test_the_database_refuses_a_wrong_check_digit_even_without_validation():
    with pytest.raises(IntegrityError), transaction.atomic():
        Company.objects.create(
            name="Bad", country="BE", enterprise_number="0417497107", sector="ict", stage="idea"
        )


@pytest.mark.django_db
def test_the_database_refuses_a_belgian_company_without_number_and_a_foreign_one_with_one():
    with pytest.raises(IntegrityError), transaction.atomic():
        Company.objects.create(name="No number", country="BE", sector="ict", stage="idea")
    with pytest.raises(IntegrityError), transaction.atomic():
        Company.objects.create(
            name="Foreign", country="FR", enterprise_number="0417497106", sector="ict", stage="idea"
        )
    Company.objects.create(name="Foreign", country="FR", sector="ict", stage="idea")
    Company.objects.create(
        name="Belgian", country="BE", enterprise_number="0417497106", sector="ict", stage="idea"
    )
    assert Company.objects.count() == 2


@pytest.mark.django_db
def test_the_database_refuses_two_companies_with_one_number():
    Company.objects.create(
        name="A", country="BE", enterprise_number="0417497106", sector="ict", stage="idea"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Company.objects.create(
            name="B", country="BE", enterprise_number="0417497106", sector="ict", stage="idea"
        )
