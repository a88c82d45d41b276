# The one entry point for development tasks.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run install install-dev migrate demo serve test test-browser i18n manuals clean

run: install migrate demo serve  ## install, migrate, load the demo, serve on http://127.0.0.1:8000

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

# axe-core, which the browser tests inject into every page for the accessibility checks (package-lock.json pins it).
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --silent

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev node_modules/.package-lock.json

migrate: install
	$(BIN)/sportello migrate

demo: install
	$(BIN)/sportello demo

serve: install
	$(BIN)/sportello serve --host $(HOST) --port $(PORT)

test: install-dev  ## the whole suite (browser tests need /usr/bin/chromium, see README)
	$(BIN)/python -m pytest

i18n: install-dev  ## extract messages into the catalogs and list what still needs an Italian translation
	$(BIN)/python scripts/i18n.py

clean:
	rm -rf $(VENV) build .pytest_cache
