# Fundamentals of Deep Learning: build the book, run the tests.
#   make html   build the site into _build/html (every chapter executed)
#   make test   lint, doctests, unit tests and the book build test
# Both create .venv from requirements.lock on first use.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
BUILD  := _build
SPHINXOPTS ?= -n -W --keep-going

# Offline machines: use the dataset mirror beside the project when there is one.
# Chapters run with book/ as their working folder, so paths are made absolute.
ifeq ($(origin DLBOOK_DATA_DIR), undefined)
  ifneq ($(wildcard ../shared/datasets/datasets),)
    export DLBOOK_DATA_DIR := $(abspath ../shared/datasets)
  endif
else ifneq ($(DLBOOK_DATA_DIR),)
  export DLBOOK_DATA_DIR := $(abspath $(DLBOOK_DATA_DIR))
endif
ifneq ($(DLBOOK_CACHE_DIR),)
  export DLBOOK_CACHE_DIR := $(abspath $(DLBOOK_CACHE_DIR))
endif
export TF_CPP_MIN_LOG_LEVEL ?= 2

.PHONY: html test test-fast lint clean clean-cache lock venv

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --editable .
	@touch $@

html: $(STAMP)
	$(BIN)/sphinx-build $(SPHINXOPTS) -b html -c . book $(BUILD)/html

lint: $(STAMP)
	$(BIN)/ruff check src tests conf.py

test: lint
	$(BIN)/python -m pytest --doctest-modules src/dlbook tests

test-fast: lint
	$(BIN)/python -m pytest --doctest-modules -m "not slow" src/dlbook tests

# Re-resolve requirements.in into requirements.lock (needs the network).
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile requirements.in --universal --python-version 3.11 \
	    --generate-hashes --output-file requirements.lock

clean:
	rm -rf $(BUILD)/html $(BUILD)/jupyter_cache

clean-cache:
	rm -rf $(BUILD)/jupyter_cache
