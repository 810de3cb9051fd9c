# Every entry point of the curriculum. Each target sets up what it needs (.venv, npm packages,
# Chromium) when it is missing, so a fresh clone needs only `make book` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help book test serve clean data lessons assignments bench lock chromium setup setup-dev

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-lock.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -c requirements-lock.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c requirements-lock.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(VENV)/.installed node_modules/.installed

setup-dev: setup $(VENV)/.installed-dev chromium

chromium: ## Install Debian's Chromium for the browser tests, if no Chromium is found
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

book: setup ## Build the book into _build/html (warnings are errors; lessons run through the cache)
	$(BIN)/jupyter-book build . --warningiserror --keep-going
	@echo
	@echo "The book is at $(CURDIR)/_build/html/index.html  (or run: make serve)"

test: setup-dev book ## Run every test: data, lessons (nbval), charts, the built site in Chromium
	$(BIN)/pytest

serve: ## Serve the built book on http://127.0.0.1:$(PORT) (this machine only)
	@test -f _build/html/index.html || { echo "No book yet: run make book first."; exit 1; }
	$(PY) -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

data: setup ## Regenerate the sample city's data in datasets/ (byte for byte)
	$(PY) -m citybook.city

assignments: setup ## Regenerate every assignment: copy its data, then nbgrader's release
	$(PY) -m citybook.assignments

lessons: setup ## Re-execute every lesson in place so its stored outputs are current
	$(PY) -m citybook.book.execute lessons/*.ipynb

bench: setup-dev ## Measure build, lesson and grading costs against their baselines
	$(PY) -m benchmarks

lock: ## Re-resolve the full pinned set into requirements-lock.txt (needs the package index)
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -r requirements.txt -r requirements-dev.txt
	{ echo "# The full resolved set, pinned. Regenerate with: make lock"; \
	  .lock-venv/bin/pip freeze --exclude-editable; } > requirements-lock.txt
	rm -rf .lock-venv

clean: ## Remove the built book and caches (keeps .venv and node_modules)
	rm -rf _build book/generated .pytest_cache
	find . -name __pycache__ -not -path './.venv/*' -not -path './node_modules/*' -prune -exec rm -rf {} +
