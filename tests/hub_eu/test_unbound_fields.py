"""The unbound_field tag writes what crispy-forms writes for the same field, whitespace
aside, in every widget it knows; a bound form goes through crispy itself."""

import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms

from hub_eu.core.templatetags.unbound_fields import unbound_field

pytestmark = pytest.mark.django_db


class _Form(forms.Form):
    kind = forms.ChoiceField(
        label="Kind & type", required=False, choices=[("", "All"), ("a", "A <b>"), ("b", "B")]
    )
    chosen = forms.ChoiceField(label="Chosen", choices=[("x", "X"), ("y", "Y")], initial="y")
    body = forms.CharField(
        label="Message", max_length=50, widget=forms.Textarea(attrs={"rows": 2}), help_text="Short"
    )
    start = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    name = forms.CharField(label="Name", required=False, initial='O"Neil')
    consent = forms.BooleanField(label="I agree", required=True)
    follow_up = forms.BooleanField(label="Follow up", required=False, initial=True)


def _squeeze(text: str) -> str:
    text = re.sub(r"\s+", " ", str(text))
    return re.sub(r"\s*([<>])\s*", r"\1", text).strip()


@pytest.mark.parametrize("name", list(_Form.base_fields))
def test_it_writes_what_crispy_writes_for_an_unbound_form(name):
    form = _Form(auto_id="id_x_%s")
    assert _squeeze(unbound_field(form[name])) == _squeeze(as_crispy_field(form[name]))


def test_a_bound_form_with_errors_goes_through_crispy():
    form = _Form(data={"body": ""})
    assert not form.is_valid()
    out = unbound_field(form["body"])
    assert "is-invalid" in out and "This field is required." in out
