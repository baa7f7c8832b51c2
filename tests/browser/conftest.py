import os
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a downloaded browser."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
    }


# Runs in every page and frame before the page's own scripts: the browser tells of each
# Content-Security-Policy violation through this event; the console carries it to the test.
CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(
    `Content Security Policy violation: ${event.effectiveDirective} blocked `
    + `${event.blockedURI || "inline code"} in ${event.sourceFile || event.documentURI}`
    + `:${event.lineNumber} ${event.sample ? `(${event.sample})` : ""}`
  );
}, true);
"""


class CspWatch:
    """Collects the Content-Security-Policy violations of every page a test opens."""

    def __init__(self):
        self.violations: list[str] = []
        self._contexts: set[int] = set()

    def watch_context(self, context) -> None:
        if id(context) in self._contexts:
            return
        self._contexts.add(id(context))
        context.add_init_script(CSP_REPORTER)
        context.on("page", self._watch_page)
        for page in context.pages:
            self._watch_page(page)

    def _watch_page(self, page) -> None:
        def on_console(message) -> None:
            # Chromium's own "Refused to ... Content Security Policy" and CSP_REPORTER's.
            if "Content Security Policy" in message.text:
                self.violations.append(f"{page.url}: {message.text}")

        page.on("console", on_console)


@pytest.fixture(autouse=True)
def csp_watch(monkeypatch):
    """Every page a browser test opens (its own contexts too) is watched; a test fails at
    teardown if the browser reported any Content-Security-Policy violation."""
    from playwright.sync_api import Browser

    watch = CspWatch()
    new_context, new_page = Browser.new_context, Browser.new_page

    def watched_new_context(self, *args, **kwargs):
        context = new_context(self, *args, **kwargs)
        watch.watch_context(context)
        return context

    def watched_new_page(self, *args, **kwargs):
        page = new_page(self, *args, **kwargs)
        watch.watch_context(page.context)
        return page

    monkeypatch.setattr(Browser, "new_context", watched_new_context)
    monkeypatch.setattr(Browser, "new_page", watched_new_page)
    yield watch
    if watch.violations:
        pytest.fail(
            "Content-Security-Policy violations:\n" + "\n".join(watch.violations),
            pytrace=False,
        )


@pytest.fixture
def context(context, csp_watch):
    csp_watch.watch_context(context)
    return context


@pytest.fixture
def page(page):
    page.set_default_timeout(15_000)
    return page


@pytest.fixture
def screenshot(page):
    """Saves a full-page screenshot under var/screenshots/ for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 1000
        return path

    return take


@pytest.fixture
def demo_data(transactional_db, reference_data):
    from demo.data import load_demo_data

    load_demo_data()


def pytest_collection_modifyitems(items):
    for item in items:
        if "/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
