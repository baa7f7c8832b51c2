"""The shape of the code: apps stand on floors, and a lower floor never imports a higher
one, not even inside a function; notifications is infrastructure; nothing deployed
imports development tooling. Read from the source, so an import that would only run
in some branch is caught too."""

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Each deployed package and its floor. An app may import only from floors below its own
# (never from its own floor: needs and surveys do not know each other). A new package
# must be given a floor here, on purpose.
FLOORS = {
    "common": 0,  # helpers: spreadsheets, CSV, Brussels days
    "accounts": 1,  # the user, roles, decorators
    "notifications": 2,  # the outbox, the send loop, the registry of notice kinds
    "incubators": 3,  # the ecosystem directory
    "permanences": 4,  # schedules, slots, bookings
    "events": 4,  # events, registrations, the waiting list, tickets
    "needs": 5,
    "surveys": 5,
    "hackathons": 5,  # challenges, teams, submissions, jury
    "community": 4,  # the public directory of member companies, contact through the portal
    "calls": 4,  # experimentation calls, applications, evaluators, decisions
    "landing": 6,  # landing plans and itineraries for international start-ups
    "edih": 6,  # test-before-invest requests, routed as needs
    "api": 6,  # the agencies' REST API: tokens, public and per-agency endpoints
    "cockpit": 6,  # the coordinator's cockpit: supply against demand, per place and month
    "journeys": 7,  # themed pages gathering services, permanences, events and calls
    "demo": 8,  # demo data, created through the services of every app
    "hub_eu": 9,  # the project: settings, URLs, Celery, pages drawing on every app
}
# Development tooling and test-only libraries: the deployed code never imports them.
DEV_ONLY = {"tools", "tests", "pytest", "factory", "aiosmtpd", "playwright", "pytest_django"}
SKIP_DIRS = {"migrations", "__pycache__", "templates", "static", "locale"}


def packages(root: Path) -> list[str]:
    skip = {"tests", "tools", "node_modules", "var", "staticfiles"}
    return sorted(
        p.name
        for p in root.iterdir()
        if p.is_dir()
        and not p.name.startswith(".")
        and p.name not in skip
        and (p / "__init__.py").exists()
    )


def imports_of(root: Path, package: str) -> Iterator[tuple[str, str]]:
    """(module path, imported top-level name) for every absolute import in the package,
    at module level or inside a function."""
    for path in sorted((root / package).rglob("*.py")):
        if SKIP_DIRS & set(path.relative_to(root).parts):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                yield f"{path.relative_to(root)}:{node.lineno}", name.split(".")[0]


def floor_violations(root: Path, floors: dict[str, int]) -> list[str]:
    known = packages(root)
    problems = [f"{p} has no floor in FLOORS" for p in known if p not in floors]
    for package in known:
        for where, top in imports_of(root, package):
            if top == package or top not in floors or package not in floors:
                continue
            if floors[top] >= floors[package]:
                below = f"{package} (floor {floors[package]})"
                problems.append(f"{where}: {below} imports {top} (floor {floors[top]})")
    return problems


def test_no_app_imports_an_app_on_its_floor_or_above():
    assert floor_violations(ROOT, FLOORS) == []


def test_notifications_imports_no_domain_app():
    domain = {"incubators", "permanences", "needs", "surveys", "demo", "hub_eu"}
    found = [
        f"{where} imports {top}"
        for where, top in imports_of(ROOT, "notifications")
        if top in domain
    ]
    assert found == []


def test_no_deployed_module_imports_development_tooling():
    found = [
        f"{where} imports {top}"
        for package in packages(ROOT)
        for where, top in imports_of(ROOT, package)
        if top in DEV_ONLY
    ]
    assert found == []


@pytest.mark.parametrize(
    "source",
    [
        "from surveys.models import Survey\n",
        "def later():\n    import surveys.services\n",
    ],
)
def test_the_floor_check_catches_an_upward_import_even_inside_a_function(tmp_path, source):
    for name in ("permanences", "surveys"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text("")
    (tmp_path / "permanences" / "services.py").write_text(source)
    problems = floor_violations(tmp_path, {"permanences": 4, "surveys": 5})
    assert problems == [
        "permanences/services.py:"
        + ("1" if "def" not in source else "2")
        + ": permanences (floor 4) imports surveys (floor 5)"
    ]


def test_the_floor_check_asks_for_a_floor_for_a_new_package(tmp_path):
    (tmp_path / "events").mkdir()
    (tmp_path / "events" / "__init__.py").write_text("")
    assert floor_violations(tmp_path, {}) == ["events has no floor in FLOORS"]
