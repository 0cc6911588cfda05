# Candour: `make run` sets up and serves the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PYTEST := $(VENV)/bin/pytest
SQLITE_ENV := env -u DATABASE_URL
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run install assets migrate demo serve test lint worker scheduled messages clean

run: install migrate demo serve

install: $(VENV)/.installed assets

$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet --require-hashes -r requirements.lock
	touch $@

assets: node_modules/.installed

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund
	touch $@

migrate: install
	$(PY) manage.py migrate --no-input

demo: install
	$(PY) manage.py seed_demo

serve:
	@echo "Candour is at http://$(HOST):$(PORT)/ (staff: http://$(HOST):$(PORT)/staff/)"
	$(PY) manage.py runserver $(HOST):$(PORT)

worker: install
	$(PY) manage.py db_worker

scheduled: install
	$(PY) manage.py run_scheduled

# The whole suite on SQLite, then again on PostgreSQL when DATABASE_URL names one.
test: install
	rm -f .coverage .coverage.*
	$(SQLITE_ENV) $(PYTEST) --cov --cov-report= $(PYTEST_ARGS)
	@case "$${DATABASE_URL:-}" in \
	  postgres*) echo "== again on PostgreSQL ($${DATABASE_URL%%@*}@...)"; \
	    $(PYTEST) --cov --cov-append --cov-report= $(PYTEST_ARGS) ;; \
	  *) echo "== DATABASE_URL names no PostgreSQL database: ran on SQLite only" ;; \
	esac
	$(VENV)/bin/coverage report --fail-under=90 | tail -25

lint: install
	$(VENV)/bin/ruff check .
	$(SQLITE_ENV) $(PY) manage.py makemigrations --check --dry-run

messages: install
	cd candour && msgfmt -c -o locale/cy/LC_MESSAGES/django.mo locale/cy/LC_MESSAGES/django.po

clean:
	rm -rf $(VENV) node_modules staticfiles .coverage
