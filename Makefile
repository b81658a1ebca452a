# Every target builds what it needs from a fresh clone: the virtual environment
# in .venv, with the project and its dev tools installed.
#
# Python: the newest supported one found, python3.13, else 3.12, else 3.11; PYTHON=python3.11 picks
# another. A pyenv shim of a version pyenv installed but did not select counts too: its interpreter
# is used. .venv is made again whenever it was made with another Python version.
SUPPORTED_PYTHONS := python3.13 python3.12 python3.11
find_python = $(shell $(1) -c 'import sys; print(sys.executable)' 2>/dev/null || \
  ls -d $$(pyenv root 2>/dev/null)/versions/*/bin/$(1) 2>/dev/null | sort -V | tail -1)
PYTHON ?= $(firstword $(foreach p,$(SUPPORTED_PYTHONS),$(if $(call find_python,$(p)),$(p))) python3.13)
PYTHON_EXE := $(call find_python,$(PYTHON))
PYTHON_VERSION := $(if $(PYTHON_EXE),$(shell $(PYTHON_EXE) -c 'import sys; print("%d.%d" % sys.version_info[:2])'))
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: serve serve-production test check lint golden bench clean deps nginx typescript browser contract sdk venv python

# Debian packages the tests use (jq and curl for the README recipes, redis-server for the
# shared rate limit, chromium for the browser tests in tests/browser, nginx for the production
# topology and the static export); installed if missing.
deps: nginx
	@command -v jq >/dev/null && command -v curl >/dev/null && command -v redis-server >/dev/null && \
	  command -v chromium >/dev/null || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq curl redis-server chromium >/dev/null; }

# Debian's nginx. Where services may start, installing it starts its default site (port 80, every
# address): that one is stopped; the topology and the tests run nginx themselves, on 127.0.0.1.
nginx:
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null && \
	    { invoke-rc.d nginx stop >/dev/null 2>&1 || true; }; }

$(VENV)/.python-$(PYTHON_VERSION):
	@test -n "$(PYTHON_EXE)" || { echo "need $(PYTHON): one of $(SUPPORTED_PYTHONS) (set PYTHON=...)"; exit 1; }
	rm -rf $(VENV)
	$(PYTHON_EXE) -m venv $(VENV)
	touch $@

$(BIN)/briefs: pyproject.toml $(VENV)/.python-$(PYTHON_VERSION)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

venv: $(BIN)/briefs

# Which Python the targets use.
python:
	@echo "$(PYTHON) -> $(PYTHON_EXE) ($(PYTHON_VERSION))"

# Builds content/ into its artifact under .cache/ (incremental), then serves it; the gunicorn
# master rebuilds on every content change and the workers follow the new artifact.
serve: $(BIN)/briefs
	$(BIN)/briefs build --content content
	$(BIN)/gunicorn --config gunicorn.conf.py --no-control-socket --bind 127.0.0.1:$(PORT) 'api:create_app()'

# The production topology (deploy/topology.py): nginx on 127.0.0.1:$(PORT) in front of gunicorn on a
# Unix socket; request buffering, timeouts against slow clients, a rate limit per client. Ctrl-C stops both.
serve-production: $(BIN)/briefs nginx
	$(BIN)/briefs build --content content
	$(BIN)/python -m deploy.topology --port $(PORT) --content content

test: $(BIN)/briefs deps typescript browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest

# The node packages of clients/typescript (openapi-typescript, typescript) at the versions of
# its package-lock.json; npm comes from Debian if missing.
TS := clients/typescript
$(TS)/node_modules/.package-lock.json: $(TS)/package.json $(TS)/package-lock.json
	@command -v npm >/dev/null || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
	cd $(TS) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

typescript: $(TS)/node_modules/.package-lock.json

# The node packages the browser tests inject into pages (axe-core) at the versions of
# tests/browser/package-lock.json. Chromium itself comes from Debian (`deps`); /docs serves
# Swagger UI from a Python package, so `serve` needs no node.
BROWSER := tests/browser
$(BROWSER)/node_modules/.package-lock.json: $(BROWSER)/package.json $(BROWSER)/package-lock.json
	@command -v npm >/dev/null || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
	cd $(BROWSER) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

browser: $(BROWSER)/node_modules/.package-lock.json

# The contract tests alone: schemathesis in process and against gunicorn, the generated
# Python SDK and TypeScript types, and the v1 compatibility rule.
contract: $(BIN)/briefs deps typescript
	$(BIN)/pytest -m contract

# A Python client generated from openapi.yaml, for examples/sdk_example.py:
# PYTHONPATH=build/sdk $(BIN)/python examples/sdk_example.py http://127.0.0.1:$(PORT)
sdk: $(BIN)/briefs
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/openapi-python-client generate --path openapi.yaml --meta none \
	  --overwrite --output-path build/sdk/briefs_api_client

check: $(BIN)/briefs
	-$(BIN)/briefs check --content content

golden: $(BIN)/briefs
	$(BIN)/python tests/golden.py

bench: $(BIN)/briefs
	$(BIN)/python bench/parse.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .cache
