# Two commands on a fresh machine: `make demo` and `make test`. Each sets itself up.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
DEMO_N ?= 2000
export DISCLOSURE_HOME ?= $(CURDIR)/data
# No telemetry, no hub, no suffix-list fetches anywhere.
export MLFLOW_DISABLE_TELEMETRY := true
export DO_NOT_TRACK := 1
export HF_HUB_OFFLINE := 1
export STREAMLIT_BROWSER_GATHER_USAGE_STATS := false

.PHONY: install demo test lint lock clean seed browser-deps

install: $(VENV)/.installed

# Installs the project from pyproject.toml, constrained to the tested versions
# in requirements.lock so the install is reproducible. Idempotent.
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24" setuptools wheel
	$(PY) -m pip install --quiet -c requirements.lock -e ".[test]"
	touch $@

# Debian's Chromium for the browser tests; Playwright never downloads a browser.
browser-deps:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

seed: install
	$(PY) -m research.corpus.seed

lint: install
	$(BIN)/ruff check research app_streamlit tests benchmarks

test: install browser-deps lint
	$(BIN)/pytest -n 2 -q

demo: install
	$(BIN)/disclosure synth --n $(DEMO_N) --seed 7 -o $(DISCLOSURE_HOME)/demo/corpus.jsonl
	$(BIN)/disclosure validate $(DISCLOSURE_HOME)/demo/corpus.jsonl

# Re-record the tested versions after changing dependencies.
lock: install
	$(PY) -m pip freeze --exclude-editable | grep -v '^-e' > requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
