# Creekside HEP: `make run` serves the app, `make test` runs every check.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
FIXTURES := hamstring_exercises $(if $(wildcard fixtures/protocols.json),protocols,)
DEV_ENV := DEBUG=1 SECRET_KEY=development-only-not-secret

# Django 6.1 needs Python >= 3.12: a PYTHON= override, python3.13, python3.12, python3, pyenv's versions.
PYENV_ROOT_DIR := $(shell pyenv root 2>/dev/null || echo $$HOME/.pyenv)
PY_CANDIDATES := $(PYTHON) python3.13 python3.12 python3 $(sort $(wildcard $(PYENV_ROOT_DIR)/versions/3.1[2-9]*/bin/python3))
FOUND_PYTHON = $(firstword $(foreach c,$(PY_CANDIDATES),$(shell $(c) -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && command -v $(c))))

.PHONY: run test install setup serve lint clean browser screenshots

$(STAMP): pyproject.toml
	@py="$(FOUND_PYTHON)"; \
	if [ -z "$$py" ]; then echo "Creekside needs Python 3.12 or newer: install it (e.g. 'pyenv install 3.12') or run 'make PYTHON=/path/to/python3.12 ...'." >&2; exit 1; fi; \
	if [ ! -x $(BIN)/python ]; then echo "Creating $(VENV) with $$py"; "$$py" -m venv $(VENV); fi
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev,postgres,prod]'
	@touch $(STAMP)

install: $(STAMP)

setup: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput -v0
	$(DEV_ENV) $(BIN)/python manage.py loaddata $(FIXTURES)
	@if [ -f programs/management/commands/seed_demo.py ]; then $(DEV_ENV) $(BIN)/python manage.py seed_demo --month; fi

run: setup
	@echo ""
	@echo "Creekside HEP is starting on http://$(HOST):$(PORT)/"
	@echo "  Exercise library: http://$(HOST):$(PORT)/library/"
	@if [ -f programs/management/commands/seed_demo.py ]; then $(DEV_ENV) $(BIN)/python manage.py seed_demo --print-only --base-url http://$(HOST):$(PORT); fi
	@echo "  One task worker runs beside it (emails, reminders each minute); Ctrl-C stops both."
	@$(DEV_ENV) $(BIN)/python manage.py send_reminders --start
	@# The worker without --reload, so the trap's kill reaches it: restart after editing tasks.
	@trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV_ENV) SITE_URL=http://$(HOST):$(PORT) $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	$(DEV_ENV) SITE_URL=http://$(HOST):$(PORT) $(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The browser tests need Debian's chromium (never a test tool's own download), as .ci/run installs it.
CHROMIUM_PATH ?= /usr/bin/chromium
browser:
	@command -v chromium >/dev/null 2>&1 || [ -x "$(CHROMIUM_PATH)" ] || \
	{ [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } || \
	{ echo "The browser tests need Debian's chromium: install it with 'sudo apt-get install chromium' (or set CHROMIUM_PATH=/path/to/chromium)." >&2; exit 1; }

test: lint browser
	SECRET_KEY=checks-only $(BIN)/python manage.py check
	SECRET_KEY=checks-only $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# docs/screenshots from the shipped library and seed_demo's patient (tests/e2e, SAVE_SCREENSHOTS=1).
screenshots: install browser
	SAVE_SCREENSHOTS=1 $(BIN)/python -m pytest -q -m e2e tests/e2e

clean:
	rm -rf $(VENV) staticfiles db.sqlite3

# Benchmarks (docs/benchmarks.md): loopback only, bounded in time, never part of `make test`.
# BENCH_ARGS passes options, e.g. make bench-soak BENCH_ARGS="--minutes 1".
.PHONY: bench-setup bench-load bench-soak bench-lighthouse bench-profile
bench-setup: install
	bash benchmarks/setup.sh

bench-load: bench-setup
	$(BIN)/python benchmarks/load.py $(BENCH_ARGS)

bench-soak: bench-setup
	$(BIN)/python benchmarks/soak.py $(BENCH_ARGS)

bench-lighthouse: bench-setup
	bash benchmarks/lighthouse.sh

bench-profile: bench-setup
	$(BIN)/python benchmarks/profile.py $(BENCH_ARGS)
