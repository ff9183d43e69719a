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

.PHONY: all generate check test lint typecheck bench mock fuzz inspector inspector-for-tests clean

all: generate

# pip runs --quiet (its output is pages of "Collecting ..."), so each long step says what it does first.
# The project is installed editable with setuptools' default mode: a static .pth naming this folder
# (see package-dir in pyproject.toml), so generator, generated and helpdesk_mock import from
# .venv/bin/python anywhere.
$(STAMP): pyproject.toml requirements.lock
	@echo "make: creating $(VENV) and installing the $$(grep -c '==' requirements.lock) pinned packages of requirements.lock (about a minute, pip is quiet)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	@echo "make: installing helpdesk-mcp itself into $(VENV) (editable: it runs from this folder)"
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)
	@echo "make: $(VENV) is ready"

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

# The suite runs on every core (pytest-xdist); a file's tests stay on one worker, so the
# session fixtures of a file (a mock server, PostgreSQL, the MCP Inspector install) are shared.
PYTEST_WORKERS ?= auto
# SKIP_INSPECTOR=1 make test: no npm download; tests/test_inspector.py is skipped, saying so.
SKIP_INSPECTOR ?= 0
export SKIP_INSPECTOR

test: $(STAMP)  ## The gate, the type check, then the whole test suite
	$(CLI) check
	@echo "make: mypy --strict on generator, helpdesk_mock and generated (about half a minute)"
	$(BIN)/mypy --strict generator helpdesk_mock generated
	@$(MAKE) --no-print-directory inspector-for-tests
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile

# The test suite drives the servers with the MCP Inspector CLI when Node is present: installed once
# from npm (about 112 MB under .cache/inspector), announced, and skipped with SKIP_INSPECTOR=1.
inspector-for-tests:
	@if [ "$(SKIP_INSPECTOR)" = 1 ]; then \
		echo "make: SKIP_INSPECTOR=1: tests/test_inspector.py is skipped"; \
	elif [ ! -e $(INSPECTOR) ] && command -v npm >/dev/null 2>&1; then \
		echo "make: installing the MCP Inspector from npm (about 112 MB, into $(NPM_DIR)) for tests/test_inspector.py; SKIP_INSPECTOR=1 skips it"; \
		$(MAKE) --no-print-directory inspector || echo "make: the MCP Inspector could not be installed; its tests will be skipped"; \
	fi

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
