"""Checks over every template of the project."""

from pathlib import Path


def test_no_template_comment_spans_lines():
    """Django's {# #} comments are one line only: a multi-line one is shown to people."""
    templates = Path(__file__).resolve().parents[1] / "templates"
    offenders = [
        f"{path.relative_to(templates)}:{number}"
        for path in templates.rglob("*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]
    assert not offenders, offenders
