# The two commands a newcomer needs: `make run` and `make test`. Both install what they
# need first (.venv from pyproject.toml + constraints.txt, node_modules from package-lock.json).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
BACKEND := v2/backend
FRONTEND := v2/frontend
NODE_MODULES := $(FRONTEND)/node_modules/.installed
PAGE := $(FRONTEND)/dist/index.html
PAGE_SOURCES := $(shell find $(FRONTEND)/src $(FRONTEND)/scripts $(FRONTEND)/index.html $(FRONTEND)/vite.config.ts $(FRONTEND)/package.json -type f 2>/dev/null)

.PHONY: run test lint typecheck pytest frontend-check page api-types lock clean

$(INSTALLED): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --constraint constraints.txt --editable '.[dev]'
	@touch $@

$(NODE_MODULES): $(FRONTEND)/package.json $(FRONTEND)/package-lock.json
	@command -v npm >/dev/null || { echo "Node.js 20.19+ with npm is needed for the page"; exit 1; }
	cd $(FRONTEND) && npm ci --no-audit --no-fund
	@touch $@

$(PAGE): $(NODE_MODULES) $(PAGE_SOURCES)
	cd $(FRONTEND) && npm run build

page: $(PAGE)

## Serve the dashboard (page and API) on HOST:PORT (default 127.0.0.1:8000) with SQLite in DATA_DIR.
run: $(INSTALLED) $(PAGE)
	PYTHONPATH=$(BACKEND) $(PY) -m app

## Everything CI checks: lint, types and tests of the backend and the page, and the browser test.
test: lint typecheck frontend-check pytest

lint: $(INSTALLED)
	$(VENV)/bin/ruff check $(BACKEND) bench scripts
	$(VENV)/bin/ruff format --check $(BACKEND) bench scripts
	$(VENV)/bin/hadolint Dockerfile

typecheck: $(INSTALLED)
	$(VENV)/bin/mypy

frontend-check: $(NODE_MODULES)
	cd $(FRONTEND) && npm run check

## The tests run in PYTEST_WORKERS processes (pytest-xdist; each has its own PostgreSQL database);
## PYTEST_WORKERS=0 runs them in this one, e.g. with PYTEST_ARGS=--pdb. Whole modules go to one
## worker (--dist loadscope), so a module fixture (a real Prometheus) starts once.
PYTEST_WORKERS ?= 2
pytest: $(INSTALLED) $(PAGE)
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadscope $(PYTEST_ARGS)

## Rewrite the page's API types (v2/frontend/src/api/api-types.ts) from the OpenAPI document,
## after changing a schema or an endpoint; `make test` fails while the committed file is stale.
api-types: $(INSTALLED) $(NODE_MODULES)
	PYTHONPATH=$(BACKEND) $(PY) scripts/api_types.py

## Re-pin every transitive dependency after changing pyproject.toml.
lock: $(INSTALLED)
	( echo '# Exact versions of every package in the .venv, transitive ones included. Regenerate with `make lock`.'; \
	  $(PY) -m pip freeze --exclude-editable ) > constraints.txt

clean:
	rm -rf $(VENV) $(FRONTEND)/node_modules $(FRONTEND)/dist
