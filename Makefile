# Two commands on a fresh machine: `make generate` and `make test`.
# Every target bootstraps .venv with the pinned dependencies (requirements.lock)
# the first time; later runs only check a stamp file.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CLI := $(BIN)/helpdesk-mcp
NPM_DIR := .cache/inspector
INSPECTOR := $(NPM_DIR)/node_modules/.bin/mcp-inspector

.PHONY: all generate check test lint typecheck bench mock inspector clean

all: generate

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e . --config-settings editable_mode=compat
	touch $(STAMP)

venv: $(STAMP)

generate: $(STAMP)  ## Regenerate generated/ from openapi/
	$(CLI) generate

check: $(STAMP)  ## The regeneration gate: fail naming every stale, missing or orphan file
	$(CLI) check

lint: $(STAMP)  ## Linters on hand-written code; mypy --strict on generated/
	$(BIN)/ruff check generator tests
	$(BIN)/ruff format --check generator tests
	$(BIN)/mypy --strict generated

typecheck: $(STAMP)
	$(BIN)/mypy --strict generated

test: $(STAMP)  ## The gate, then the whole test suite
	$(CLI) check
	$(BIN)/mypy --strict generated
	$(BIN)/python -m pytest

inspector: $(INSPECTOR)

$(INSPECTOR):
	mkdir -p $(NPM_DIR)
	cd $(NPM_DIR) && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error @modelcontextprotocol/inspector@2.12.0

bench: $(STAMP)  ## Print generation, start-up and call figures
	$(BIN)/python -m tests.bench

clean:
	rm -rf $(VENV) .cache .pytest_cache .mypy_cache
