# The README's two commands: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/webopenapi
REDIS ?= redis://127.0.0.1:6379/0
TEST_WORKERS ?= 2

.PHONY: install install-base messages run test lint serve migrate clean

# requirements/base.txt is what production installs (`make serve`); requirements/dev.txt adds
# the tests and tooling for every other target.
$(BIN)/.installed-base: requirements/base.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements/base.txt
	touch $@

$(BIN)/.installed: $(BIN)/.installed-base requirements/dev.txt
	$(BIN)/pip install --quiet -r requirements/dev.txt
	touch $@

install: $(BIN)/.installed messages
install-base: $(BIN)/.installed-base messages

# Compiled translations are built, not committed; Babel needs no system gettext.
messages: $(BIN)/.installed-base
	$(BIN)/pybabel compile --use-fuzzy -d locale -D django --statistics

# `make run PORT=8001`: email links and seed_demo's API_URL follow the port (SITE_URL).
PORT ?= 8000
SITE_URL ?= http://127.0.0.1:$(PORT)
RUN_ENV = SITE_URL=$(SITE_URL)

run: install
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py seed_demo
	$(RUN_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS) CELERY_TASK_ALWAYS_EAGER=true \
		$(BIN)/python -m pytest -n $(TEST_WORKERS) --cov=. $(PYTEST_ARGS)

# mypy checks the services and selectors ([tool.mypy] in pyproject.toml).
lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# A real deployment on one machine: PostgreSQL, Redis, gunicorn, a Celery worker and beat, DEBUG
# off ("local production" over plain http unless SITE_URL is https). Ctrl-C stops all of them.
# NODES=2 (or more): that many web nodes behind nginx (README, "Past one machine").
serve: install-base
	PG_URL=$(PG_URL) REDIS=$(REDIS) BIN=$(BIN) NODES=$(NODES) deploy/serve.sh

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

# The Open API and the portal as deployed, on PostgreSQL + Redis (not a test: a measurement):
# concurrency 16 in-process and through the network simulator at 0, 300 and 1000 ms, then the
# peak (1 s upstream, concurrency 256, the portal beside it). Recreates the database
# webopenapi_bench. BENCH_ARGS="--duration 30 --peak-duration 30".
# Then the portal's pages as one partner grows to 100, 10,000 and 1,000,000 transactions
# (bench-growth; recreates webopenapi_growth). GROWTH_ARGS="--repeat 30".
.PHONY: bench bench-growth
bench: install
	$(BIN)/python -m scripts.bench $(BENCH_ARGS)
	$(BIN)/python scripts/bench_growth.py $(GROWTH_ARGS)

bench-growth: install
	$(BIN)/python scripts/bench_growth.py $(GROWTH_ARGS)

# The manual's whole journey in Chromium against a real deployment (gunicorn, a Celery worker
# and beat on PostgreSQL and Redis, as `make serve`), in a database of its own that is dropped
# afterwards; also saves the README's main screens (1280×800) to docs/screenshots/.
.PHONY: screenshots
screenshots: install
	JOURNEY_SCREENSHOTS=docs/screenshots DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS) \
		$(BIN)/python -m pytest -p no:xdist tests_journey $(PYTEST_ARGS)
