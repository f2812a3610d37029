# Two commands for a fresh machine: `make run` and `make test`.
# Each bootstraps .venv with `python3 -m venv` and installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format typecheck pytest install install-dev browser bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(RUN_STAMP)

install: $(RUN_STAMP)
install-dev: $(DEV_STAMP)

run: $(RUN_STAMP)
	$(BIN)/cvlens db upgrade
	$(BIN)/cvlens serve --host $(HOST) --port $(PORT)

## Chromium for the browser tests: installed from Debian when missing and we are root.
browser:
	@bash scripts/ensure-chromium.sh

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

pytest: $(DEV_STAMP) browser
	bash scripts/pytest.sh

test: lint typecheck pytest

format: $(DEV_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var .mypy_cache .pytest_cache .ruff_cache test-artifacts
