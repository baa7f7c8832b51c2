import datetime

from django.utils import timezone

from calls.models import Call
from calls.selectors import public_calls
from incubators.models import Theme
from tests.calls.conftest import make_call


def test_it_lists_open_calls_first_then_upcoming_then_recently_closed(db):
    now = timezone.now()
    day = datetime.timedelta(days=1)
    closed = make_call(slug="closed", opens_at=now - 60 * day, deadline=now - 2 * day)
    upcoming = make_call(slug="upcoming", opens_at=now + 3 * day, deadline=now + 30 * day)
    open_late = make_call(slug="open-late", opens_at=now - day, deadline=now + 20 * day)
    open_soon = make_call(slug="open-soon", opens_at=now - day, deadline=now + 2 * day)
    make_call(slug="draft", status=Call.Status.DRAFT)
    make_call(slug="old", opens_at=now - 400 * day, deadline=now - 200 * day)

    assert public_calls(now=now) == [open_soon, open_late, upcoming, closed]
    assert public_calls(now=now, phase="open") == [open_soon, open_late]


def test_it_filters_by_theme_object_or_slug(db):
    theme, _ = Theme.objects.get_or_create(slug="circular-test", defaults={"name": "Circular"})
    tagged = make_call(slug="tagged")
    tagged.themes.add(theme)
    make_call(slug="untagged")

    assert public_calls(theme=theme) == [tagged]
    assert public_calls(theme="circular-test") == [tagged]
    assert public_calls(theme="no-such-theme") == []
