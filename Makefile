# Two commands for a new user: `make demo` and `make test`. Both build the
# environment first (a virtualenv in .venv from requirements.lock: the
# runtime and every extra, bench, cluster and dev).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
BROWSER := $(VENV)/.browser-checked
UV_VERSION := 0.13.8

.PHONY: install demo test check lint lock clean

$(INSTALLED): requirements.lock pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Newsdesk needs Python 3.11, found " + sys.version'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

# The browser test's Chromium (Debian's package): the test path only, never the demo's.
$(BROWSER): $(INSTALLED)
	bash scripts/ensure_chromium.sh
	touch $@

install: $(INSTALLED)

demo: $(INSTALLED)
	$(BIN)/newsdesk demo

test: lint $(BROWSER)
	$(BIN)/pytest

# The fast tier while working: every test but the e2e, cluster, browser and slow ones (pyproject.toml).
check: lint
	$(BIN)/pytest -m "not e2e and not cluster and not browser and not slow"

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# Re-resolve every dependency after editing pyproject.toml.
lock: $(INSTALLED)
	$(BIN)/uv pip compile pyproject.toml --all-extras --universal --python-version 3.11 --quiet -o requirements.lock

clean:
	rm -rf $(VENV) .newsdesk
