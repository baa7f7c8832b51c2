"""The consent texts a person is shown, and their versions.

The version of a text is a hash of its source wording: rewording a text (in the form that
shows it) changes the version recorded from then on, with no number to remember to bump.
tests/incubators/test_consents.py checks the forms still show these very texts."""

import hashlib

from django.utils.translation import gettext_lazy as _

from .models import Consent

Purpose = Consent.Purpose

TEXTS = {
    Purpose.BOOKING_PROFILE: _(
        "I agree that the agency sees my name, company and incubator for this meeting."
    ),
    Purpose.NEED: _(
        "I agree that this need, my name, company and incubator are shared with the "
        "agency that answers it."
    ),
}


def _source(text) -> str:
    # The msgid, whatever the reader's language: a lazy string keeps its arguments.
    return text._args[0] if hasattr(text, "_args") else str(text)


def version_of(purpose: str) -> str:
    return hashlib.sha256(_source(TEXTS[purpose]).encode()).hexdigest()[:12]
