"""Belgian enterprise numbers (KBO/BCE): ten digits, the last two are a mod-97 check."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def enterprise_number_normalize(value: str) -> str:
    """'BE 0417.497.106' -> '0417497106'. A nine-digit legacy number gets its leading 0."""
    digits = re.sub(r"[\s.\-/]", "", value or "").upper()
    if digits.startswith("BE"):
        digits = digits[2:]
    if len(digits) == 9 and digits.isdigit():
        digits = "0" + digits
    return digits


def enterprise_number_is_valid(digits: str) -> bool:
    if len(digits) != 10 or not digits.isdigit() or digits[0] not in "01":
        return False
    return 97 - int(digits[:8]) % 97 == int(digits[8:])


def validate_enterprise_number(value: str) -> None:
    digits = enterprise_number_normalize(value)
    if len(digits) != 10 or not digits.isdigit():
        raise ValidationError(
            _("A Belgian enterprise number has ten digits, like 0417.497.106."),
            code="enterprise_number_format",
        )
    if digits[0] not in "01":
        raise ValidationError(
            _("A Belgian enterprise number starts with 0 or 1."), code="enterprise_number_format"
        )
    if not enterprise_number_is_valid(digits):
        raise ValidationError(
            _("This enterprise number is not valid: its check digits do not match."),
            code="enterprise_number_checksum",
        )


def enterprise_number_format(digits: str) -> str:
    """'0417497106' -> '0417.497.106'."""
    if len(digits) != 10:
        return digits
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"
