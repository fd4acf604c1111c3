# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
UV := $(VENV)/bin/uv
BIN := $(VENV)/bin
export SEKRETARIAT_DATA_DIR ?= $(CURDIR)/var
# uv keeps the packages it installs next to the project, never in the user's home.
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_CACHE_DIR ?= $(CURDIR)/.cache/uv
# The installed packages are compiled to bytecode once, when installed: otherwise a process that
# may not write bytecode (PYTHONDONTWRITEBYTECODE, a read-only install) compiles Django and the
# PDF stack again at every start (3.5 s of a search rebuild on a 2-core machine).
export UV_COMPILE_BYTECODE := 1

.PHONY: run test setup setup-test lint format bench clean

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv>=0.5,<1"

# The base environment, exactly as locked.
$(VENV)/.synced: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --inexact
	touch $@

# The same environment with the test extras.
$(VENV)/.synced-test: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --inexact --extra test
	touch $@ $(VENV)/.synced

setup: $(VENV)/.synced

setup-test: $(VENV)/.synced-test

run: setup
	$(BIN)/sekretariat keys --create
	$(BIN)/sekretariat migrate --noinput
	$(BIN)/sekretariat demo_data --once
	$(BIN)/sekretariat serve --host 127.0.0.1 --port 8000

test: setup-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest $(PYTEST_ARGS)

# The same environment with the benchmark extras (locust for bench/load.py).
$(VENV)/.synced-bench: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --inexact --extra test --extra bench
	touch $@ $(VENV)/.synced $(VENV)/.synced-test

bench: $(VENV)/.synced-bench
	$(BIN)/python bench/load.py

lint: setup-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .cache
