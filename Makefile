# Goalwise: the two commands are `make run` and `make test`; both set everything up themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= $(or $(GOALWISE_PORT),8000)
# Stamp files make a second `make run` skip the install and start in seconds.
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test lint fmt typecheck bench drills demo clean help

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@ $(STAMP)

run: $(STAMP) ## Migrate, load the demo clinic when empty, and serve on http://127.0.0.1:$(PORT)
	$(BIN)/goalwise db upgrade
	$(BIN)/goalwise demo --if-empty
	$(BIN)/goalwise serve --port $(PORT)

lint: $(DEV_STAMP) ## ruff lint and format check, mypy --strict on core/ and analytics/
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

fmt: $(DEV_STAMP) ## Format and fix what ruff can
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

test: lint ## Lint, then the whole suite (SQLite, PostgreSQL and Chromium where available)
	$(BIN)/python -m pytest -n auto --dist loadfile -q

DB ?= sqlite
BENCH_ARGS ?=

bench: $(DEV_STAMP) ## Benchmarks at clinic scale, paired with floors (DB=postgres too; BENCH_ARGS="--clients 200")
	$(BIN)/python benchmarks/run.py --db $(DB) $(BENCH_ARGS)

drills: $(DEV_STAMP) ## Reliability drills: killed import, two writers, full disk, backup during writes
	$(BIN)/python benchmarks/drills/run.py

clean: ## Remove the virtualenv and caches (keeps ./data)
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
