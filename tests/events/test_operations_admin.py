"""The organiser edits the event in the admin: moving a session or changing the place
sends the change notice to the registered people; other edits send nothing."""

import datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Registration
from events.notices_operations import EVENT_CHANGED
from notifications.models import Notification
from tests.factories import UserFactory


class _Form(HTMLParser):
    """The fields of the admin's change form as the browser would send them."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id", "").endswith("_form"):
            self._in_form = True
        if not self._in_form or a.get("disabled") is not None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "file"):
                return
            self.data.setdefault(name, []).append(
                a.get("value", "on" if kind == "checkbox" else "")
            )
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_form = False

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += (
                data.lstrip("\n") if not self.data[self._textarea][0] else data
            )


def change_form_data(client, url) -> dict[str, list[str]]:
    parser = _Form()
    parser.feed(client.get(url).content.decode())
    return parser.data


@pytest.fixture
def coordinator(db):
    return UserFactory(role="coordinator", is_staff=True, is_superuser=True)


@pytest.fixture
def event(make_event):
    event = make_event(
        starts_at=timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=3),
        title_fr="Soirée",
        title_nl="Avond",
        title_en="Evening",
        description_fr="Texte",
        description_nl="Tekst",
        description_en="Text",
    )
    Registration.objects.create(
        event=event, user=UserFactory(), status=Registration.Status.CONFIRMED
    )
    return event


def _save(client, event, **changes):
    url = reverse("admin:events_event_change", args=[event.pk])
    data = change_form_data(client, url)
    for name, value in changes.items():
        data[name] = [value]
    return client.post(url, data)


def test_moving_a_session_in_the_admin_tells_the_registered(client, coordinator, event):
    client.force_login(coordinator)
    session = event.sessions.get()
    prefix = next(
        name[: -len("-0-id")]
        for name in change_form_data(client, reverse("admin:events_event_change", args=[event.pk]))
        if name.endswith("-0-id") and name.startswith("sessions")
    )
    later = timezone.localtime(session.starts_at) + datetime.timedelta(hours=1)
    end = timezone.localtime(session.ends_at) + datetime.timedelta(hours=1)
    response = _save(
        client,
        event,
        **{
            f"{prefix}-0-starts_at_0": later.strftime("%Y-%m-%d"),
            f"{prefix}-0-starts_at_1": later.strftime("%H:%M:%S"),
            f"{prefix}-0-ends_at_0": end.strftime("%Y-%m-%d"),
            f"{prefix}-0-ends_at_1": end.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    session.refresh_from_db()
    assert timezone.localtime(session.starts_at) == later
    assert Notification.objects.filter(kind=EVENT_CHANGED).count() == 1


def test_an_edit_of_the_description_tells_nobody(client, coordinator, event):
    client.force_login(coordinator)
    response = _save(client, event, description_en="Another text")
    assert response.status_code == 302
    assert not Notification.objects.filter(kind=EVENT_CHANGED).exists()


def test_a_new_address_in_the_admin_tells_the_registered(client, coordinator, event):
    client.force_login(coordinator)
    response = _save(client, event, address="Avenue Louise 54, 1050 Ixelles")
    assert response.status_code == 302
    assert Notification.objects.filter(kind=EVENT_CHANGED).count() == 1
