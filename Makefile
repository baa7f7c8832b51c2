# hub.eu — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.package-lock.json

.PHONY: install assets messages migrate demo run test test-fast lint format bench clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

install: $(STAMP) $(NODE_STAMP)

# The compiled .mo files are committed; they are rebuilt here when gettext is installed.
messages: install
	@if command -v msgfmt >/dev/null; then \
		$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0; \
	else echo "msgfmt not found: using the committed .mo files"; fi

migrate: install
	$(PY) manage.py migrate --noinput -v0

demo: migrate
	$(PY) manage.py demo_data

run: messages migrate
	@$(PY) manage.py demo_data --quiet-logins
	@bin/run

test: messages
	$(BIN)/pytest $(PYTEST_ARGS)

# The inner loop: everything but the browser, real-worker and race tests (marked slow).
test-fast: messages
	$(BIN)/pytest -m "not slow" -q $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	@bin/bench

clean:
	rm -rf $(VENV) node_modules staticfiles var
