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
	$(BIN)/lint-imports --no-cache

test: install browser-deps lint
	$(BIN)/pytest -n 2 -q

# Ends by serving the app in the foreground (Ctrl-C stops it); `make test` never
# depends on it. One account per role, each with a random password printed once
# (a second run keeps the accounts; their passwords are not shown again).
DEMO_ROLES := counsellor researcher data_scientist admin
APP_PORT ?= 8501
demo: install
	$(BIN)/disclosure synth --n $(DEMO_N) --seed 7 -o $(DISCLOSURE_HOME)/demo/corpus.jsonl
	$(BIN)/disclosure validate $(DISCLOSURE_HOME)/demo/corpus.jsonl
	nice -n 5 $(BIN)/disclosure run $(DISCLOSURE_HOME)/demo/corpus.jsonl
	@for role in $(DEMO_ROLES); do \
	  $(BIN)/disclosure users add $$role --role $$role --generate-password \
	    || echo "  ($$role exists: its password was printed when it was created)"; \
	done
	$(BIN)/disclosure app --port $(APP_PORT)

# Re-record the tested versions after changing dependencies.
lock: install
	$(PY) -m pip freeze --exclude-editable | grep -v '^-e' > requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# The Norwegian chat NER pipeline shipped at models/nb_chat_ner (NorNE + chat
# templates; about half an hour on 2 cores). Chat recall is measured on the
# gold dev file when it is there, never trained on.
NORNE_DIR ?= ../shared/data/norne
NER_CHAT_DEV ?= ../shared/dev/dev.jsonl
.PHONY: ner-model
ner-model: install
	nice -n 10 $(PY) -m research.anonymize.ner_training build $(NORNE_DIR) --chat-dev $(NER_CHAT_DEV)

# Label store throughput on SQLite and PostgreSQL (on demand, never in `make test`).
.PHONY: bench-store
bench-store: install
	nice -n 10 $(PY) benchmarks/store_throughput.py

# The label-suggestion model shipped at models/classifier (seed corpus + generated
# conversations; logged to MLflow in the data folder, registered, promoted if it
# beats the champion). The dev file, when beside the checkout, is measured for
# the model card only: never trained or tuned on.
CLASSIFIER_CONFIG ?= experiments/baseline.yaml
CLASSIFIER_MEASURE ?= $(wildcard ../shared/dev/dev.jsonl)
.PHONY: classifier-model
classifier-model: seed
	nice -n 10 $(BIN)/disclosure train --config $(CLASSIFIER_CONFIG) --export models/classifier \
	  $(foreach gold,$(CLASSIFIER_MEASURE),--measure $(gold))
