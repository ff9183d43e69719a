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

.PHONY: all generate check test lint typecheck bench mock fuzz inspector clean

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

lint: $(STAMP)  ## ruff on the hand-written code; mypy --strict on it and on generated/
	$(BIN)/ruff check generator helpdesk_mock tests
	$(BIN)/ruff format --check generator helpdesk_mock tests
	$(BIN)/mypy --strict generator helpdesk_mock generated

typecheck: $(STAMP)
	$(BIN)/mypy --strict generator helpdesk_mock generated

test: $(STAMP)  ## The gate, the type check, then the whole test suite
	$(CLI) check
	$(BIN)/mypy --strict generator helpdesk_mock generated
	$(BIN)/python -m pytest

inspector: $(INSPECTOR)

$(INSPECTOR):
	mkdir -p $(NPM_DIR)
	cd $(NPM_DIR) && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error @modelcontextprotocol/inspector@2.12.0

# FUZZ_EXAMPLES cases per operation and mode (the test suite runs 5); FUZZ_ARGS passes
# more options, e.g. FUZZ_ARGS="--api intercom --seed 7" (python -m tests.fuzz_report --help).
FUZZ_EXAMPLES ?= 100

fuzz: $(STAMP)  ## Fuzz every operation of both documents against the mock; per-operation counts
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m tests.fuzz_report $(FUZZ_ARGS)

MOCK_API ?= desk365
MOCK_PORT ?= 4010

mock: $(STAMP)  ## Run the stateful mock of MOCK_API (desk365|intercom) on 127.0.0.1:MOCK_PORT
	$(CLI) mock $(MOCK_API) --host 127.0.0.1 --port $(MOCK_PORT)

# The peers (FastMCP, openapi-python-client) live in their own virtualenv, never in .venv.
# Options: BENCH_REPEAT, BENCH_GEN_REPEAT, BENCH_CALLS, BENCH_PEERS=0, BENCH_VENDOR=0, BENCH_LARGE=0, BENCH_DOCS,
# BENCH_QUICK=1 (see tests/bench/run.py); the load part: LOAD_CLIENTS, LOAD_CALLS, BENCH_LOAD=0
# (see tests/bench/load.py; the scale-out run on PostgreSQL: tests/bench/scale.py).
BENCH_VENV := .cache/bench-venv
BENCH_STAMP := $(BENCH_VENV)/.installed

$(BENCH_STAMP): tests/bench-requirements.txt
	rm -rf $(BENCH_VENV)
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/python -m pip install --quiet --no-deps -r tests/bench-requirements.txt
	touch $(BENCH_STAMP)

bench: $(STAMP) $(BENCH_STAMP)  ## Our figures against FastMCP's and openapi-python-client's, side by side
	BENCH_VENV=$(BENCH_VENV) $(BIN)/python -m tests.bench

clean:
	rm -rf $(VENV) .cache .pytest_cache .mypy_cache
