# CP-LMS (消保学堂). `make demo` and `make test` work on a fresh machine with Python 3.11.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# The PostgreSQL used for the second test run when CI=true (or when DATABASE_URL is PostgreSQL).
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/cplms
# pytest-xdist workers (each with its own test database); "auto" is one per CPU, 0 runs serially.
TEST_WORKERS ?= auto
APPS := quizzes courses lms
# Catalogs: the three apps, and the reference site's demo and benchmark apps.
CATALOGS := $(APPS) config/demo bench

.PHONY: setup demo serve test test-fast lint format messages bench clean cluster cluster-down

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --disable-pip-version-check --upgrade pip
	$(PIP) install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.txt requirements-ldap.txt
	$(PIP) install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

## setup: venv, install, migrate, demo data (idempotent, safe to re-run)
setup: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py lms_move_private_files
	$(PY) manage.py lms_demo

## demo: setup, then serve the demo site at http://$(HOST):$(PORT)
demo: setup
	@echo ""
	@echo "CP-LMS demo: http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	$(PY) manage.py runserver --noreload $(HOST):$(PORT)

## serve: gunicorn + whitenoise with production settings (needs SECRET_KEY etc., see README),
## and a task worker (lms_task_worker) for the background tasks (TASKS_BACKEND=database, the production default)
serve: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=config.settings.production $(PY) manage.py collectstatic --noinput -v 0
	DJANGO_SETTINGS_MODULE=config.settings.production $(PY) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=config.settings.production $(PY) manage.py lms_move_private_files
	@export DJANGO_SETTINGS_MODULE=config.settings.production; \
	if [ "$${TASKS_BACKEND:-database}" = database ]; then \
		$(PY) manage.py lms_task_worker & worker=$$!; \
		echo "background tasks: manage.py lms_task_worker, pid $$worker"; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	fi; \
	$(VENV)/bin/gunicorn config.wsgi \
		--bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-3} --access-logfile -

## cluster: the local cluster (deploy/cluster): nginx on 127.0.0.1:$(CLUSTER_PORT) in front of
## $(CLUSTER_WEB) gunicorn processes and $(CLUSTER_TASKS) task workers, production settings,
## PostgreSQL + Redis; env file var/cluster/cluster.env (make it with `deploy/cluster init`)
CLUSTER_WEB ?= 2
CLUSTER_TASKS ?= 1
CLUSTER_PORT ?= 8080
cluster: $(VENV)/.installed
	$(PY) deploy/cluster up --web $(CLUSTER_WEB) --tasks $(CLUSTER_TASKS) --port $(CLUSTER_PORT)

## cluster-down: stop every process of the local cluster
cluster-down:
	$(PY) deploy/cluster down

lint: $(VENV)/.dev-installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(VENV)/.dev-installed
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

## test: lint, migrations check, the suite on SQLite, and again on PostgreSQL when CI=true or
## DATABASE_URL points at PostgreSQL
test: lint
	DATABASE_URL= $(PY) manage.py makemigrations --check --dry-run --settings=config.settings.test
	DATABASE_URL= $(PY) -m pytest -n $(TEST_WORKERS)
	@if [ -n "$$CI" ] || echo "$$DATABASE_URL" | grep -q '^postgres'; then \
		url="$$DATABASE_URL"; echo "$$url" | grep -q '^postgres' || url="$(PG_TEST_URL)"; \
		echo "== the suite again on PostgreSQL ($$url)"; \
		DATABASE_URL="$$url" $(PY) -m pytest -n $(TEST_WORKERS); \
	fi

## test-fast: the inner loop: lint, then the suite without the slow tests (pytest -m slow lists
## them: demo build, plugin install, bench, schemathesis, browser), on SQLite only
test-fast: lint
	DATABASE_URL= $(PY) -m pytest -n $(TEST_WORKERS) -m "not slow"

## messages: refresh and compile the zh_Hans catalogs of the three apps and the reference site;
## the override catalog config/locale (Wagtail's untranslated strings, edited by hand) is only
## compiled: makemessages would empty it
messages: $(VENV)/.dev-installed
	for dir in $(CATALOGS); do (cd $$dir && $(CURDIR)/$(PY) $(CURDIR)/manage.py makemessages -l zh_Hans --no-obsolete --no-location); done
	for dir in $(CATALOGS); do (cd $$dir && $(CURDIR)/$(PY) $(CURDIR)/manage.py compilemessages -l zh_Hans); done
	msgfmt --check -o config/locale/zh_Hans/LC_MESSAGES/django.mo config/locale/zh_Hans/LC_MESSAGES/django.po

bench: $(VENV)/.dev-installed
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache static
