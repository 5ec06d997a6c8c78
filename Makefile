# gaoxin — the two commands of the quick start are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint unit clean

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

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/hadolint Dockerfile

## Lint, the layer contract, the whole suite on SQLite, then the database rings again on PostgreSQL
## when GAOXIN_TEST_DATABASE_URL is set (CI sets it).
test: lint
	env -u GAOXIN_TEST_DATABASE_URL $(BIN)/pytest
	@if [ -n "$$GAOXIN_TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL: $${GAOXIN_TEST_DATABASE_URL%%@*}@…"; \
		$(BIN)/pytest tests/integration tests/api; \
	else \
		echo "== GAOXIN_TEST_DATABASE_URL not set: PostgreSQL run skipped"; \
	fi

unit: install
	$(BIN)/pytest tests/unit

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
