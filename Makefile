# Every target builds what it needs from a fresh clone: the virtual environment
# in .venv, with the project and its dev tools installed.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: serve test check lint golden bench clean deps

# Debian packages the tests use (jq and curl for the README recipes, redis-server for the
# shared rate limit); installed if missing.
deps:
	@command -v jq >/dev/null && command -v curl >/dev/null && command -v redis-server >/dev/null || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq curl redis-server >/dev/null; }

$(BIN)/briefs: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

venv: $(BIN)/briefs

serve: $(BIN)/briefs
	-$(BIN)/briefs check --content content
	$(BIN)/gunicorn --config gunicorn.conf.py --no-control-socket --bind 127.0.0.1:$(PORT) 'api:create_app()'

test: $(BIN)/briefs deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest

check: $(BIN)/briefs
	-$(BIN)/briefs check --content content

golden: $(BIN)/briefs
	$(BIN)/python tests/golden.py

bench: $(BIN)/briefs
	$(BIN)/python bench/parse.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
