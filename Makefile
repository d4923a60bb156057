# Two commands: `make run` serves the application, `make test` checks everything.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1:8000

.PHONY: run test lint typecheck pytest bench bench-http load messages system-deps clean

# A random secret key for local use, written once (production sets SECRET_KEY instead).
SECRET_FILE := var/secret-key

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(SECRET_FILE):
	mkdir -p var
	umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(VENV)/.installed $@

system-deps:
	@sh scripts/system-deps.sh

run: $(VENV)/.installed $(SECRET_FILE)
	$(BIN)/ccm migrate --noinput -v0
	$(BIN)/ccm load_reference_data
	$(BIN)/ccm collectstatic --noinput -v0
	$(BIN)/ccm ensure_local_admin
	$(BIN)/ccm runserver $(HOST)

test: $(VENV)/.installed-test $(SECRET_FILE) system-deps lint typecheck pytest

lint: $(VENV)/.installed-test $(SECRET_FILE)
	$(BIN)/ruff check src scripts benchmarks
	$(BIN)/ruff format --check src scripts benchmarks

typecheck: $(VENV)/.installed-test $(SECRET_FILE)
	$(BIN)/mypy

pytest: $(VENV)/.installed-test $(SECRET_FILE)
	$(BIN)/pytest -p no:cacheprovider

BENCH_PG ?= postgres://postgres:postgres@127.0.0.1:5432

# SQLite on a throw-away file, then PostgreSQL on a scratch database when a server answers.
bench: $(VENV)/.installed-test $(SECRET_FILE)
	$(BIN)/python benchmarks/run.py
	@if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then \
	  psql "$(BENCH_PG)/postgres" -q -c "DROP DATABASE IF EXISTS ccm_bench" -c "CREATE DATABASE ccm_bench" && \
	  DATABASE_URL="$(BENCH_PG)/ccm_bench" $(BIN)/python benchmarks/run.py; \
	else echo "PostgreSQL is not answering on 127.0.0.1:5432: SQLite figures only"; fi

# Public pages against the trivial page under gunicorn, with wrk (Debian: apt-get install wrk):
# requests a second, latency and bytes sent; on DATABASE_URL's database when set, else SQLite.
bench-http: $(VENV)/.installed-test $(SECRET_FILE)
	$(BIN)/python benchmarks/throughput.py

# The locust scenario (public pages, focal points submitting, staff, registrations) at 10, 50
# and 100 users, then a 10-minute soak, on a scratch PostgreSQL database (benchmarks/load.py).
load: $(VENV)/.installed-test $(SECRET_FILE)
	$(BIN)/pip install --quiet -e ".[test,load]"
	$(BIN)/python benchmarks/load.py

messages: $(VENV)/.installed-test $(SECRET_FILE)
	cd src/ccm && ../../$(BIN)/ccm makemessages -l fr -l es --ignore "*/tests/*" --ignore "static/*" --ignore "templates/account/*"
	cd src/ccm && ../../$(BIN)/ccm compilemessages

clean:
	rm -rf $(VENV) var
