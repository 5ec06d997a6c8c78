# gaoxin — the two commands of the quick start are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run sample test lint unit soak clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Reinstall whenever the dependencies or their pins change; constraints.txt makes it repeatable.
$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Serve the seeded system on the embedded SQLite database under ./var/ (http://127.0.0.1:8000/docs).
run: install
	$(BIN)/gaoxin migrate
	$(BIN)/gaoxin seed
	$(BIN)/gaoxin serve --host $(HOST) --port $(PORT)

## Load the labelled sample data set (departments, one user per role, reports, …) into ./var/gaoxin.db.
sample: install
	$(BIN)/gaoxin migrate
	$(BIN)/gaoxin seed
	$(BIN)/gaoxin sample

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/hadolint Dockerfile

## Lint, the layer contract, the whole suite on SQLite, then the database rings and reliability again on PostgreSQL
## when GAOXIN_TEST_DATABASE_URL is set (CI sets it).
test: lint
	env -u GAOXIN_TEST_DATABASE_URL $(BIN)/pytest
	@if [ -n "$$GAOXIN_TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL: $${GAOXIN_TEST_DATABASE_URL%%@*}@…"; \
		$(BIN)/pytest tests/integration tests/api tests/reliability tests/e2e; \
	else \
		echo "== GAOXIN_TEST_DATABASE_URL not set: PostgreSQL run skipped"; \
	fi

unit: install
	$(BIN)/pytest tests/unit

## The slow reliability runs (docs/RELIABILITY.md): each scenario for SOAK_SECONDS, on SQLite and, when
## GAOXIN_TEST_DATABASE_URL is set, on PostgreSQL; prints a figures table per backend.
SOAK_SECONDS ?= 60
soak: install
	SOAK_SECONDS=$(SOAK_SECONDS) $(BIN)/python -m tests.reliability.soak

## Benchmarks (not part of `make test`; docs/BENCHMARKS.md): the stress data set served as in production on
## SQLite, and on PostgreSQL when GAOXIN_BENCH_DATABASE_URL or GAOXIN_TEST_DATABASE_URL is set (a fresh
## database beside it, dropped afterwards), 1 and 2 workers each, then `gaoxin verify`. Figures, summary
## (CPU per request, its ratio to the ceiling, each goal of tools/bench/goals.py met or missed by a factor)
## and server logs under var/bench/<time>/.
bench: install
	$(BIN)/python -m tools.bench.run

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
