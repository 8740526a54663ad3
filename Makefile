# The two commands a newcomer needs: `make run` and `make test`. Both create the .venv first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
BACKEND := v2/backend

.PHONY: run test lint typecheck pytest lock clean

$(INSTALLED): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --constraint constraints.txt --editable '.[dev]'
	@touch $@

## Serve the dashboard API on HOST:PORT (default 127.0.0.1:8000) with SQLite in DATA_DIR.
run: $(INSTALLED)
	PYTHONPATH=$(BACKEND) $(PY) -m app

## Everything CI checks: lint, types, and every test.
test: lint typecheck pytest

lint: $(INSTALLED)
	$(VENV)/bin/ruff check $(BACKEND)
	$(VENV)/bin/ruff format --check $(BACKEND)

typecheck: $(INSTALLED)
	$(VENV)/bin/mypy

pytest: $(INSTALLED)
	$(PY) -m pytest $(PYTEST_ARGS)

## Re-pin every transitive dependency after changing pyproject.toml.
lock: $(INSTALLED)
	( echo '# Exact versions of every package in the .venv, transitive ones included. Regenerate with `make lock`.'; \
	  $(PY) -m pip freeze --exclude-editable ) > constraints.txt

clean:
	rm -rf $(VENV)
