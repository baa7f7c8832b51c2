"""A form sent back with errors: a summary announced to screen readers leads to each field,
and each field is marked invalid and described by its own message."""

import re

import pytest


def _attribute(html: str, element_id: str, name: str) -> str:
    tag = re.search(rf'<[^>]*\bid="{element_id}"[^>]*>', html).group(0)
    found = re.search(rf'\b{name}="([^"]*)"', tag)
    return found.group(1) if found else ""


def test_a_field_error_is_tied_to_its_field_and_summarised(client, entrepreneur, category):
    client.force_login(entrepreneur)

    html = client.post("/en/me/needs/new/", {"description": ""}).content.decode()

    summary = re.search(r'<div class="[^"]*form-error-summary[^"]*"[^>]*>(.*?)</div>', html, re.S)
    assert summary and 'role="alert"' in summary.group(0)
    assert 'href="#id_description"' in summary.group(1)
    assert _attribute(html, "id_description", "aria-invalid") == "true"
    described_by = _attribute(html, "id_description", "aria-describedby").split()
    assert "id_description_error" in described_by
    assert 'id="id_description_error"' in html


@pytest.mark.django_db
def test_an_error_of_the_whole_form_is_announced(client):
    html = client.post(
        "/fr/accounts/login/", {"login": "nobody@example.com", "password": "wrong"}
    ).content.decode()

    summary = re.search(r'<div class="[^"]*form-error-summary[^"]*"[^>]*>(.*?)</div>', html, re.S)
    assert summary and 'role="alert"' in summary.group(0)
    assert "Veuillez corriger" in summary.group(1)
