# Fundamentals of Deep Learning: build the book, run the tests.
#   make html   build the site into _build/html (every chapter executed)
#   make test   lint, doctests, unit tests, the book build and browser tests
#   make serve  live-reloading preview for authors (http://127.0.0.1:8000)
#   make benchmark  time the builds and the models (about 30 min on 2 cores)
# Both create .venv from requirements.lock on first use.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
BOOK   ?= book
BUILD  ?= _build
SPHINXOPTS ?= -n -W --keep-going
SPHINXEXTRA ?=

# Offline machines: use the dataset mirror beside the project when there is one.
# Chapters run with book/ as their working folder, so paths are made absolute.
ifeq ($(origin DLBOOK_DATA_DIR), undefined)
  ifneq ($(wildcard ../shared/datasets/datasets),)
    export DLBOOK_DATA_DIR := $(abspath ../shared/datasets)
  endif
else ifneq ($(DLBOOK_DATA_DIR),)
  export DLBOOK_DATA_DIR := $(abspath $(DLBOOK_DATA_DIR))
endif
# The writable folder where verified copies of mirror files are staged for Keras.
ifneq ($(DLBOOK_CACHE_DIR),)
  export DLBOOK_CACHE_DIR := $(abspath $(DLBOOK_CACHE_DIR))
else
  export DLBOOK_CACHE_DIR := $(CURDIR)/_build/keras
endif
export TF_CPP_MIN_LOG_LEVEL ?= 2

.PHONY: html serve test test-fast lint clean clean-cache lock venv benchmark

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -n "$(PYTHON)" || { echo "No python3 found: install Python 3.11." >&2; exit 1; }
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; v == (3, 11) or print( \
	    f"note: requirements.lock was resolved for Python 3.11; using {v[0]}.{v[1]}")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { echo "Could not create \
	    $(VENV): install Python's venv module (Debian: apt install python3.11-venv)." >&2; exit 1; }
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation --editable .
	@touch $@

html: $(STAMP)
	$(BIN)/sphinx-build $(SPHINXOPTS) $(SPHINXEXTRA) -b html -c . $(BOOK) $(BUILD)/html

# Rebuilds and reloads the browser page on every save in book/ or src/.
serve: $(STAMP)
	$(BIN)/sphinx-autobuild $(SPHINXOPTS) $(SPHINXEXTRA) -b html -c . \
	    --watch src --watch conf.py --port 8000 $(BOOK) $(BUILD)/html

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks conf.py

# Writes benchmarks/report.json, which the site's "Build report" page shows.
benchmark: $(STAMP)
	$(BIN)/python -m benchmarks $(BENCHMARKFLAGS)

test: lint
	$(BIN)/python -m pytest --doctest-modules src/dlbook benchmarks tests

test-fast: lint
	$(BIN)/python -m pytest --doctest-modules -m "not slow" src/dlbook benchmarks tests

# Re-resolve requirements.in into requirements.lock (needs the network).
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile requirements.in --universal --python-version 3.11 \
	    --generate-hashes --output-file requirements.lock

clean:
	rm -rf $(BUILD)/html $(BUILD)/jupyter_cache $(BUILD)/screenshots

clean-cache:
	rm -rf $(BUILD)/jupyter_cache
