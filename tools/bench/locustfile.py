"""The people of the bench's mixed-load phase, for Locust. tools/bench/mixed_load.py
makes their data (sessions, slots, needs, survey links), writes it to the JSON file
named by MIXED_LOAD_PLAN and runs this file headless against the bench's gunicorn.

Each person waits 1 to 3 s (the plan's think_seconds) after every page, as a reader
would, and behaves as a browser does: it keeps its cookies, posts forms with the CSRF
token of the page it opened, sends Referer and Origin, asks htmx fragments with
HX-Request, and follows a redirect as a request of its own. Any answer other than the
expected one (or no answer) is a failure, counted in mixed_load_errors.
"""

import datetime
import html
import itertools
import json
import os
import random
import re
from pathlib import Path
from urllib.parse import urlencode

from locust import HttpUser, task
from locust.exception import StopUser

PLAN = json.loads(Path(os.environ["MIXED_LOAD_PLAN"]).read_text())
BROWSE = PLAN["browse"]
LOW, HIGH = PLAN["think_seconds"]

CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LATER_SLOTS = re.compile(r'hx-get="\?([^"]*after=[^"]*)"')


class Person(HttpUser):
    """A browser tab: one page, then a pause."""

    abstract = True
    language = "en"

    def wait_time(self) -> float:
        return random.uniform(LOW, HIGH)

    def on_start(self) -> None:
        self.language = random.choice(["fr", "nl", "en"])

    def sign_in(self, cookie: str) -> None:
        name, value = cookie.split("=", 1)
        self.client.cookies.set(name, value)

    def get(self, path: str, *, name: str, htmx: bool = False) -> str:
        """The page's HTML, or "" after recording a failure."""
        headers = {"HX-Request": "true"} if htmx else {}
        with self.client.get(
            path, name=name, headers=headers, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"answered {response.status_code}, expected 200")
                return ""
            return response.text

    def form_token(self, path: str, *, name: str) -> str:
        """Opens the page of a form: its CSRF token, or "" after recording a failure."""
        with self.client.get(
            path, name=name, allow_redirects=False, catch_response=True
        ) as response:
            found = CSRF_TOKEN.search(response.text) if response.status_code == 200 else None
            if found is None:
                response.failure(f"answered {response.status_code} without a form")
                return ""
            return found.group(1)

    def post(self, path: str, data: dict, *, name: str, to: str) -> str:
        """Posts a form as the page at `path` would; the redirect's target, or "" after
        recording a failure (any answer but a redirect to a path starting with `to`)."""
        headers = {"Referer": self.host + path, "Origin": self.host}
        with self.client.post(
            path, data=data, name=name, headers=headers, allow_redirects=False, catch_response=True
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or not location.startswith(to):
                where = f" to {location}" if location else ""
                response.failure(f"answered {response.status_code}{where}, expected a redirect")
                return ""
            return location

    def give_up(self, what: str) -> None:
        """The plan was too small for the run: a failure, then this person leaves."""
        self.environment.events.request.fire(
            request_type="PLAN",
            name=what,
            response_time=0,
            response_length=0,
            exception=RuntimeError(f"{what}: the plan is too small"),
            context={},
        )
        raise StopUser


class Browser(Person):
    """Looks at the permanences and the events, as anyone may."""

    abstract = True

    @task(3)
    def slot_list(self) -> None:
        body = self.get(f"/{self.language}/permanences/", name="slot list")
        later = LATER_SLOTS.search(body)
        if later and random.random() < 0.5:
            self.wait()
            query = html.unescape(later.group(1))
            self.get(f"/{self.language}/permanences/?{query}", name="slot list, later", htmx=True)

    @task(3)
    def slot_list_filtered(self) -> None:
        choices = {
            "agency": random.choice(BROWSE["agencies"]),
            "incubator": random.choice(BROWSE["incubators"]),
            "language": random.choice(BROWSE["languages"]),
            "date_from": (
                datetime.date.today() + datetime.timedelta(days=random.choice(BROWSE["days_ahead"]))
            ).isoformat(),
        }
        picked = random.sample(sorted(choices), k=random.randint(1, 2))
        query = urlencode({name: choices[name] for name in picked})
        self.get(f"/{self.language}/permanences/?{query}", name="slot list, filtered")

    @task(2)
    def agenda(self) -> None:
        self.get(f"/{self.language}/events/", name="events agenda")

    @task(1)
    def event(self) -> None:
        slug = random.choice(BROWSE["events"])
        self.get(f"/{self.language}/events/{slug}/", name="event page")


class Visitor(Browser):
    fixed_count = PLAN["users"]["anonymous"]


class SignedInBrowser(Browser):
    fixed_count = PLAN["users"]["signed_in"]
    numbers = itertools.count()

    def on_start(self) -> None:
        super().on_start()
        self.sign_in(PLAN["signed_in"][next(self.numbers)])

    @task(1)
    def my_bookings(self) -> None:
        self.get(f"/{self.language}/me/bookings/", name="my bookings")


class Booker(Person):
    """Books the next slot of its own schedule, looks at the booking, cancels it."""

    fixed_count = PLAN["users"]["bookers"]
    numbers = itertools.count()

    def on_start(self) -> None:
        super().on_start()
        mine = PLAN["bookers"][next(self.numbers)]
        self.sign_in(mine["cookie"])
        self.category = str(mine["category"])
        self.slots = iter(mine["slots"])

    @task
    def book_then_cancel(self) -> None:
        slot = next(self.slots, None)
        if slot is None:
            self.give_up("booker out of slots")
        book = f"/{self.language}/permanences/slots/{slot}/book/"
        token = self.form_token(book, name="booking page")
        if not token:
            return
        self.wait()
        data = {
            "csrfmiddlewaretoken": token,
            "category": self.category,
            "topic": "Financing my first hire",
            "language": "en",
            "consent_share_profile": "on",
        }
        booking = self.post(book, data, name="book", to=f"/{self.language}/me/bookings/")
        if not booking:
            return
        self.get(booking, name="booking detail")
        self.wait()
        cancel = f"{booking}cancel/"
        token = self.form_token(cancel, name="cancel page")
        if not token:
            return
        self.wait()
        data = {"csrfmiddlewaretoken": token, "reason": "I found the answer elsewhere"}
        done = self.post(cancel, data, name="cancel", to=f"/{self.language}/me/bookings/")
        if done:
            self.get(done, name="my bookings")


class Advisor(Person):
    """Reads the needs routed to its agency."""

    fixed_count = PLAN["users"]["advisors"]
    numbers = itertools.count()

    def on_start(self) -> None:
        super().on_start()
        self.mine = PLAN["advisors"][next(self.numbers)]
        self.sign_in(self.mine["cookie"])

    @task(3)
    def inbox(self) -> None:
        self.get(f"/{self.language}/agency/needs/", name="needs inbox")

    @task(2)
    def inbox_filtered(self) -> None:
        query = random.choice(
            [
                {"status": "all"},
                {"category": random.choice(self.mine["categories"])},
                {"overdue": "on"},
            ]
        )
        self.get(f"/{self.language}/agency/needs/?{urlencode(query)}", name="needs inbox, filtered")

    @task(2)
    def need(self) -> None:
        routed = random.choice(self.mine["needs"])
        self.get(f"/{self.language}/agency/needs/{routed}/", name="need page")


class Respondent(Person):
    """Opens a survey link from an email, answers, sees the thanks."""

    fixed_count = PLAN["users"]["respondents"]
    numbers = itertools.count()

    def on_start(self) -> None:
        super().on_start()
        self.links = iter(PLAN["respondents"]["links"][next(self.numbers)])

    @task
    def answer(self) -> None:
        link = next(self.links, None)
        if link is None:
            self.give_up("respondent out of survey links")
        path = f"/{self.language}/survey/{link}/"
        token = self.form_token(path, name="survey form")
        if not token:
            return
        self.wait()
        data = {"csrfmiddlewaretoken": token, **PLAN["respondents"]["answers"]}
        thanks = self.post(path, data, name="survey answer", to=path)
        if thanks:
            self.get(thanks, name="survey thanks")
