# Strategise: one command to run it, one to test it.
#   make run     set up (Python, assets, database) and serve http://127.0.0.1:8000/,
#                with the background worker and clock tick beside it
#   make test    set up, then lint, type-check, check import rules and run every test
#   make serve-production  serve without debug, as in production, with gunicorn
#                (needs DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS; docs/deploy.md)
#   make bench   run the benchmarks
#   make bench-national  every page, its plans and audited reads at national size: ten
#                authorities' five years (250,000 requests) on PostgreSQL (DATABASE_URL)
#   make lint    ruff, mypy and import-linter only
#   make mutate  mutation testing of the access rules, recording and clocks (slow)
#   make mutate-policy  mutation testing of the policy against its own tests
#   make clean   remove everything the commands above build

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
STATIC := src/strategise/web/static/strategise
PYTEST := $(BIN)/pytest

# Django 6 needs Python 3.12 or newer. Use the first such interpreter found: python3,
# python3.12, python3.13, then any pyenv-installed one. Override with PYTHON=/path/to/python.
PYTHON ?= $(shell for candidate in python3 python3.12 python3.13 python3.14 \
	$${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3; do \
	  if "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	    echo "$$candidate"; break; \
	  fi; \
	done)

.PHONY: help run serve-production test bench bench-national lint mutate mutate-policy setup python \
	cin-validator assets documents migrate browser demo clean

help:
	@sed -n 's/^#   //p' $(MAKEFILE_LIST)

# --- set-up -----------------------------------------------------------------

# Reinstalled only when pyproject.toml changes (or the virtualenv is missing).
$(VENV)/.installed: pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Strategise needs Python 3.12 or newer (Django 6.1 does not support 3.11)." >&2; \
	  echo "Install one, or run: make PYTHON=/path/to/python3.12 ..." >&2; exit 1; \
	fi
	@if [ -x $(BIN)/python ] && ! $(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
	  echo "Replacing $(VENV): it was made with a Python older than 3.12"; rm -rf $(VENV); \
	fi
	@[ -x $(BIN)/python ] || { echo "Creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

python: $(VENV)/.installed

# The DfE's CIN census validator (csc-validator-be-cin, pinned with all it needs in
# tests/reports/cin_validator/requirements.txt), which the suite runs over the CIN census
# export. It needs pandas 1.5, whose wheels are for Python 3.9 to 3.11 only, so it has a
# virtualenv of its own, .venv-cin, made with the first such interpreter found (Debian 12's
# python3 is 3.11). Override with CIN_PYTHON=/path/to/python3.11.
CIN_VENV := .venv-cin
CIN_REQUIREMENTS := tests/reports/cin_validator/requirements.txt
CIN_PYTHON ?= $(shell for candidate in python3.11 python3.10 python3.9 /usr/bin/python3 \
	$${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[01].*/bin/python3 \
	$${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.9.*/bin/python3; do \
	  if "$$candidate" -c 'import sys, venv; sys.exit(not (3, 9) <= sys.version_info < (3, 12))' 2>/dev/null; then \
	    echo "$$candidate"; break; \
	  fi; \
	done)

# Remade only when the requirements change (or the virtualenv is missing); --no-deps with
# every package pinned, and pip check to show that nothing is missing.
$(CIN_VENV)/.installed: $(CIN_REQUIREMENTS)
	@if [ -z "$(CIN_PYTHON)" ]; then \
	  echo "The DfE's CIN census validator needs Python 3.9, 3.10 or 3.11 (for pandas 1.5)." >&2; \
	  echo "Install one (Debian 12: apt-get install python3-venv), or run:" >&2; \
	  echo "make CIN_PYTHON=/path/to/python3.11 ..." >&2; exit 1; \
	fi
	@rm -rf $(CIN_VENV)
	@echo "Creating $(CIN_VENV) with $(CIN_PYTHON) for the DfE's CIN census validator"
	$(CIN_PYTHON) -m venv $(CIN_VENV)
	$(CIN_VENV)/bin/python -m pip install --quiet --no-deps -r $(CIN_REQUIREMENTS)
	$(CIN_VENV)/bin/python -m pip check
	@touch $@

cin-validator: $(CIN_VENV)/.installed

# Reinstalled only when package-lock.json changes.
node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

$(STATIC)/application.css: node_modules/.installed src/strategise/web/assets/scss/application.scss src/strategise/web/assets/js/application.mjs src/strategise/web/assets/js/passkey.mjs src/strategise/web/assets/js/language.mjs
	npm run --silent build

assets: $(STATIC)/application.css

# What WeasyPrint needs to print the minutes as PDF: Pango and HarfBuzz from Debian, and
# Liberation Sans (metrically Arial) so the minutes print in an Arial-like font.
DOCUMENT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2

documents:
	@missing=""; \
	for package in $(DOCUMENT_PACKAGES); do \
	  [ "$$(dpkg-query -W -f='$${Status}' "$$package" 2>/dev/null)" = "install ok installed" ] \
	    || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian's$$missing for the PDF minutes"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
	    $$missing >/dev/null; \
	fi

setup: python cin-validator assets documents

migrate: setup
	@mkdir -p var/static
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --no-input

# Demo data, once a demo command exists (a management command or `strategise demo`).
demo: migrate
	@if DJANGO_DEBUG=1 $(BIN)/python manage.py help demo >/dev/null 2>&1; then \
	  DJANGO_DEBUG=1 $(BIN)/python manage.py demo; \
	elif [ -x $(BIN)/strategise ] && DJANGO_DEBUG=1 $(BIN)/strategise demo --help >/dev/null 2>&1; then \
	  DJANGO_DEBUG=1 $(BIN)/strategise demo; \
	else \
	  echo "No demo data yet (no demo command): skipping"; \
	fi

# --- run --------------------------------------------------------------------

# Beside the web server: the task worker (django-tasks-db; reminders, alerts, digests and
# their emails) and the clock tick, which enqueues that work every minute. Both are
# Django commands, so no other service is needed; Ctrl-C stops all three.
run: demo
	@export DJANGO_DEBUG=$${DJANGO_DEBUG:-1}; \
	$(BIN)/python manage.py db_worker --no-reload --no-startup-delay --interval 5 & worker=$$!; \
	$(BIN)/python manage.py clocks_tick --every 60 & tick=$$!; \
	trap 'kill $$worker $$tick 2>/dev/null || true' EXIT; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Production mode on this machine: the deployment checks, hashed and compressed static
# files, migrations, then gunicorn (strategise.config.gunicorn: 127.0.0.1:8000, two workers).
# The worker and the clock tick run as their own services in production (docs/deploy.md).
serve-production: setup
	@if [ -z "$${DJANGO_SECRET_KEY:-}" ] || [ -z "$${DJANGO_ALLOWED_HOSTS:-}" ]; then \
	  echo "Set DJANGO_SECRET_KEY (a long random value) and DJANGO_ALLOWED_HOSTS first:" >&2; \
	  echo "docs/deploy.md lists every variable production needs." >&2; exit 1; \
	fi
	@export DJANGO_DEBUG=0; \
	$(BIN)/python manage.py check --deploy --fail-level ERROR; \
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0; \
	$(BIN)/python manage.py migrate --no-input; \
	exec $(BIN)/gunicorn --config python:strategise.config.gunicorn strategise.config.wsgi

# --- checks -----------------------------------------------------------------

# Debian's chromium, for the Playwright browser tests, and a Java runtime for the Nu HTML
# Checker (npm vnu-jar) that validates every page they see.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	fi
	@if ! command -v java >/dev/null; then \
	  echo "Installing Debian's Java runtime for the HTML checker"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends default-jre-headless >/dev/null; \
	fi

lint: python
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# The rules (strategise.policy) must be fully covered, branches included, by their own
# tests. The Django suite runs on SQLite, and again on PostgreSQL when DATABASE_URL is set.
test: setup browser lint
	@if [ -f src/strategise/policy/__init__.py ]; then \
	  echo "== policy: tests/policy with 100% branch coverage of strategise.policy"; \
	  $(PYTEST) tests/policy --cov=strategise.policy --cov-branch --cov-fail-under=100 \
	    --cov-report=term-missing:skip-covered; \
	else \
	  echo "== policy: no src/strategise/policy yet: skipping"; \
	fi
	@echo "== Django suite on SQLite"
	env -u DATABASE_URL $(PYTEST) --ignore=tests/policy --cov=strategise --cov-branch \
	  --cov-report=term:skip-covered
	@if [ -n "$${DATABASE_URL:-}" ]; then \
	  echo "== Django suite on $${DATABASE_URL%%:*} (DATABASE_URL)"; \
	  $(PYTEST) --ignore=tests/policy; \
	fi

bench: setup
	$(PYTEST) tests/benchmarks --benchmark-only

# The pages benchmark (tests/benchmarks/test_national.py) at 1×, then with nine more
# authorities beside the first (10×), and audited reads with 1, 2, 4 and 8 clients.
# STRATEGISE_BENCH_AUTHORITIES sets how many authorities (10 here; `make bench` builds one).
BENCH_AUTHORITIES ?= 10
bench-national: setup
	@case "$${DATABASE_URL:-}" in postgres*) ;; *) \
	  echo "bench-national runs on PostgreSQL: set DATABASE_URL=postgres://..." >&2; exit 1;; esac
	STRATEGISE_BENCH_AUTHORITIES=$(BENCH_AUTHORITIES) $(PYTEST) tests/benchmarks/test_national.py \
	  tests/benchmarks/test_audit_throughput.py --benchmark-only

# Mutation testing, outside `make test`: the modules and tests are in pyproject.toml
# ([tool.mutmut]); MUTANTS narrows the run, e.g. MUTANTS='strategise.access*'. Results
# stay in mutants/ (`.venv/bin/mutmut results` lists the survivors).
# MUTATE_CHILDREN is how many mutants run at once (1 on a shared machine).
MUTANTS ?=
MUTATE_CHILDREN ?= 1
mutate: setup
	env -u DATABASE_URL $(BIN)/mutmut run --max-children $(MUTATE_CHILDREN) $(MUTANTS)
	$(BIN)/mutmut results

# The policy against tests/policy only (scripts/mutate_policy.py; results in
# var/mutate-policy/), e.g. MUTANTS='strategise.policy.calendar*'.
mutate-policy: setup
	env -u DATABASE_URL $(BIN)/python scripts/mutate_policy.py --max-children $(MUTATE_CHILDREN) \
	  $(MUTANTS)
	$(BIN)/python scripts/mutate_policy.py results

clean:
	rm -rf $(VENV) $(CIN_VENV) mutants node_modules $(STATIC) var .coverage .coverage.* htmlcov \
	  .pytest_cache .mypy_cache .ruff_cache .benchmarks .import_linter_cache .hypothesis
	find src tests -name __pycache__ -type d -prune -exec rm -rf {} +
	rm -rf src/*.egg-info
