# Candour: `make run` sets up and serves the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PYTEST := $(VENV)/bin/pytest
SQLITE_ENV := env -u DATABASE_URL
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes (pytest-xdist); each gets its own test database.
TEST_WORKERS ?= 2

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
	$(SQLITE_ENV) $(PYTEST) -n $(TEST_WORKERS) --cov --cov-report= $(PYTEST_ARGS)
	@case "$${DATABASE_URL:-}" in \
	  postgres*) echo "== again on PostgreSQL ($${DATABASE_URL%%@*}@...)"; \
	    $(PYTEST) -n $(TEST_WORKERS) --cov --cov-append --cov-report= $(PYTEST_ARGS) ;; \
	  *) echo "== DATABASE_URL names no PostgreSQL database: ran on SQLite only" ;; \
	esac
	$(VENV)/bin/coverage report --fail-under=90

lint: install
	$(VENV)/bin/ruff check .
	$(SQLITE_ENV) $(PY) manage.py makemigrations --check --dry-run

messages: install
	cd candour && msgfmt -c -o locale/cy/LC_MESSAGES/django.mo locale/cy/LC_MESSAGES/django.po

clean:
	rm -rf $(VENV) node_modules staticfiles .coverage

# Back up the database to var/backups/ (see docs/deployment.md, "Backup and restore").
backup-db: install
	mkdir -p var/backups
	$(PY) manage.py backup var/backups/candour-$$(date +%Y%m%d-%H%M%S).backup

# Benchmarks and load test (PostgreSQL; never part of `make test`). Sizes are overridable:
#   make bench BENCH_COMPLAINTS=200000 BENCH_ORGANISATIONS=25 BENCH_YEARS=7
BENCH_COMPLAINTS ?= 1000000
BENCH_ORGANISATIONS ?= 25
BENCH_YEARS ?= 7
BENCH_SEED ?= 1
BENCH_DATABASE ?= candour_bench
BENCH_SERVER ?= postgres://postgres@127.0.0.1:5432
BENCH_SAMPLES ?= 50
BENCH_INTAKE ?= 500
BENCH_ARGS = --complaints $(BENCH_COMPLAINTS) --organisations $(BENCH_ORGANISATIONS) --years $(BENCH_YEARS) \
  --seed $(BENCH_SEED) --database $(BENCH_DATABASE) --server $(BENCH_SERVER)
LOADTEST_USERS ?= 200
LOADTEST_STAFF ?= 50
LOADTEST_DURATION ?= 5m
.PHONY: bench bench-smoke loadtest loadtest-smoke

bench: install
	$(PY) -m bench.run $(BENCH_ARGS) --samples $(BENCH_SAMPLES) --intake $(BENCH_INTAKE)

bench-smoke: install
	$(PYTEST) -m slow tests/bench

loadtest: install
	$(PY) -m loadtest.run $(BENCH_ARGS) --complainants $(LOADTEST_USERS) --staff $(LOADTEST_STAFF) \
	  --duration $(LOADTEST_DURATION)

loadtest-smoke: install
	$(PYTEST) -m slow tests/bench/test_loadtest_smoke.py
