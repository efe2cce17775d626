# Fundamentals of Deep Learning: build the book, run the tests.
#   make html         build the site into _build/html (every chapter executed)
#   make pdf          the site, and the whole book as a PDF in it (needs
#                     Chromium, as the browser tests do)
#   make test         lint, doctests, unit tests, the book build and its PDF,
#                     browser tests (axe-core, page budgets) and chapter 2's
#                     downloaded notebook in a new environment
#   make serve        live-reloading preview for authors (http://127.0.0.1:8000),
#                     built into _build/html-local
#   make benchmark    time the builds and the models (about 30 min on 2 cores)
#   make clean-cache  forget every executed chapter: the next build runs them all
#   make copy-check   run each chapter's code as copied from its page (slow)
#   make notebook-check  run each chapter's downloaded notebook in a new
#                     environment, from the site's wheel (slow; weekly in CI)
#   make test-oldest  the package's unit tests and chapter 2's notebook with
#                     the oldest versions pyproject.toml supports
#   make audit        Lighthouse on every page of the built site, into
#                     benchmarks/audit.json (the Benchmarks page shows it)
#   make seeds        every chapter under five seeds, into benchmarks/seeds.json
#                     (the Results page's spreads and the floors; about 50 min)
#   make drift PUBLISHED=<address or folder>  the new build against a
#                     published site: a changed figure out of its seed range
#                     fails
# Each creates .venv from requirements.lock on first use.
#
# The site's address: each chapter's notebook installs the wheel of dlbook that
# the build publishes with the site (_wheels/), from the site's address, pinned
# by its hash. `make html` builds the site to publish, with the repository's
# GitHub Pages address (conf.py derives it from DLBOOK_REPOSITORY_URL), unless
# DLBOOK_SITE_URL says otherwise. `make serve` and the browser test build the
# same site into _build/html-local with their local server's address
# (http://127.0.0.1:<port>/), so its notebooks install from that server; to
# serve a build yourself: make html HTMLDIR=_build/html-local
# DLBOOK_SITE_URL=http://127.0.0.1:8000/ and python -m http.server 8000 -d
# _build/html-local.
#
# This file owns the environment: the targets below, the chapters' kernels,
# the tests and the benchmarks all read the variables it exports, and none
# of them derives its own.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
BOOK   ?= book
BUILD  ?= _build
SPHINXOPTS ?= -n -W --keep-going
SPHINXEXTRA ?=
HTMLDIR ?= $(BUILD)/html
SERVE_PORT ?= 8000

# --- The environment ----------------------------------------------------------
# The project's own code comes first: the site's build package (src/dlbook_site)
# and the benchmarks are not installed into the virtual environment.
export PYTHONPATH := $(CURDIR)/src:$(CURDIR)$(if $(PYTHONPATH),:$(PYTHONPATH))
# Offline machines: the read-only dataset mirror beside the project, when there
# is one. Chapters run with book/ as their working folder: paths are absolute.
ifeq ($(origin DLBOOK_DATA_DIR), undefined)
  ifneq ($(wildcard ../shared/datasets/datasets),)
    export DLBOOK_DATA_DIR := $(abspath ../shared/datasets)
  endif
else ifneq ($(DLBOOK_DATA_DIR),)
  export DLBOOK_DATA_DIR := $(abspath $(DLBOOK_DATA_DIR))
endif
# Keras' own folder (its public setting, read when Keras is imported): the
# build's, so a reader's ~/.keras/keras.json cannot change the backend, and
# where dlbook.datasets stages verified copies of the mirror's files.
export KERAS_HOME := $(abspath $(BUILD))/keras
export KERAS_BACKEND := tensorflow
export TF_CPP_MIN_LOG_LEVEL ?= 2
# NumPy asks Linux for transparent huge pages for the memory of every large
# array (NumPy's reference, "Global state"). Where getting each 2 MiB page is
# slow, as on the 2-core machine, touching a new array is slow, and the
# chapters make many large ones; 0 keeps ordinary pages. The Build report
# measures both (benchmarks/hugepages.py).
export NUMPY_MADVISE_HUGEPAGE ?= 0

# --- The build ------------------------------------------------------------------
# Sphinx's saved environment and MyST-NB's execution cache, in BUILD.
DOCTREES := $(abspath $(BUILD))/doctrees
EXECUTION_CACHE := $(abspath $(BUILD))/jupyter_cache
# $(call sphinx_args,builder,doctrees,output folder)
sphinx_args = $(SPHINXOPTS) $(SPHINXEXTRA) -b $(1) -c . -d $(2) \
    -D dlbook_execution_cache=$(EXECUTION_CACHE) $(BOOK) $(3)
SPHINX_ARGS = $(call sphinx_args,html,$(DOCTREES),$(HTMLDIR))
# The whole book on one page (Sphinx's singlehtml builder), which make pdf
# prints; its own saved environment, so the site's stays warm.
SINGLEHTML := $(BUILD)/singlehtml
SINGLEHTML_DOCTREES := $(abspath $(BUILD))/doctrees-singlehtml

.PHONY: html pdf serve test test-fast lint clean clean-cache lock venv benchmark \
        inputs-digest execution-records copy-check notebook-check test-oldest \
        audit seeds drift

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
	$(BIN)/sphinx-build $(SPHINX_ARGS)

# The site, then the whole book as a PDF in the site's folder (dlbook_site.pdf):
# the singlehtml build reads the execution cache that make html filled, so
# nothing executes again, and Debian's Chromium prints it.
pdf: html
	$(BIN)/sphinx-build $(call sphinx_args,singlehtml,$(SINGLEHTML_DOCTREES),$(SINGLEHTML))
	$(BIN)/python -m dlbook_site.pdf --single $(SINGLEHTML) --out $(HTMLDIR)

# Rebuilds and reloads the browser page on every save in book/ or src/. Its own
# folder, with the local address (see the top): _build/html stays the site to
# publish. Both share Sphinx's environment and the execution cache.
serve: HTMLDIR = $(BUILD)/html-local
serve: $(STAMP)
	DLBOOK_SITE_URL=http://127.0.0.1:$(SERVE_PORT)/ $(BIN)/sphinx-autobuild \
	    --watch src --watch conf.py --port $(SERVE_PORT) $(SPHINX_ARGS)

# The digest of what executed output depends on (dlbook_site.inputs): the
# GitHub workflow keys its execution cache on it. Needs no virtual environment.
inputs-digest:
	@$(PYTHON) -m dlbook_site.inputs $(INPUTSFLAGS)

# What the last build's kernels recorded: each chapter's imported dlbook modules
# and, if the build wrote one (SPHINXEXTRA=-D dlbook_time_split_folder=...), its
# time split, as JSON. make benchmark reads it.
TIME_SPLIT ?= $(BUILD)/time_split
execution-records: $(STAMP)
	@$(BIN)/python -m dlbook_site.records $(EXECUTION_CACHE) --time-split $(TIME_SPLIT)

# Each chapter's code boxes, copied from its built page in order and run as one
# script in a fresh interpreter (dlbook_site.copied_code): what a reader who
# copies the code gets. Slow, about the chapters' execution time.
copy-check: html
	$(BIN)/python -m dlbook_site.copied_code --site $(BUILD)/html

# A reader's notebook (tests/test_fresh_notebook.py): the site built for and
# served on localhost, each chapter's notebook downloaded from its page and run
# in a new virtual environment that installs the site's wheel and lets pip
# resolve the rest from the registry. make test runs chapter 2 alone.
NOTEBOOK_TESTS := tests/test_fresh_notebook.py
notebook-check: $(STAMP)
	$(BIN)/python -m pytest -rP -m "not oldest" $(NOTEBOOK_TESTS)

# The lower bounds of pyproject.toml's ranges, installed exactly, in a new
# virtual environment: the package's unit tests, then chapter 2's notebook.
test-oldest: $(STAMP)
	$(BIN)/python -m pytest -rP -m oldest $(NOTEBOOK_TESTS)

# Lighthouse, pinned, from the npm registry into the build folder (Node from
# Debian's packages where it is missing; Debian's Chromium, no browser
# download), then every page of the built site audited (benchmarks/audit.py).
LIGHTHOUSE_VERSION := 12.2.1
LIGHTHOUSE_DIR := $(abspath $(BUILD))/lighthouse
LIGHTHOUSE := $(LIGHTHOUSE_DIR)/node_modules/.bin/lighthouse
LIGHTHOUSE_STAMP := $(LIGHTHOUSE_DIR)/.installed-$(LIGHTHOUSE_VERSION)
$(LIGHTHOUSE_STAMP):
	@command -v npm >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get \
	    >/dev/null && apt-get install -y -qq nodejs npm >/dev/null; } || { echo \
	    "npm not found: install Node.js and npm (Debian: apt-get install nodejs npm)." >&2; exit 1; }
	npm install --prefix $(LIGHTHOUSE_DIR) --no-audit --no-fund --silent \
	    lighthouse@$(LIGHTHOUSE_VERSION)
	@touch $@

audit: html $(LIGHTHOUSE_STAMP)
	$(BIN)/python -m benchmarks.audit --lighthouse $(LIGHTHOUSE) --site $(HTMLDIR)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks conf.py
	$(BIN)/zizmor --offline --no-progress .github/workflows

# Writes benchmarks/report.json, which the site's "Benchmarks" page shows.
benchmark: $(STAMP)
	$(BIN)/python -m benchmarks $(BENCHMARKFLAGS)

# What a new build prints that the published site did not (dlbook_site.drift):
# make drift PUBLISHED=<the site's address, or the folder of a built site>. A
# figure that changed and left its range over seeds fails; every other change
# is listed.
drift: html
	@test -n "$(PUBLISHED)" || { echo "make drift needs PUBLISHED=<site address or folder>" >&2; exit 2; }
	$(BIN)/python -m dlbook_site.drift --published "$(PUBLISHED)" --site $(HTMLDIR)

# Every chapter's figures under DLBOOK_SEED = 0 to 4, into benchmarks/seeds.json
# (about 50 min on 2 cores): the Results page's spreads and the build's floors.
# SEEDSFLAGS="--chapters ch03_getting_started" measures one chapter again.
seeds: $(STAMP)
	$(BIN)/python -m benchmarks.seeds $(SEEDSFLAGS)

test: lint
	$(BIN)/python -m pytest --doctest-modules -m "not notebooks and not oldest" \
	    src benchmarks tests

test-fast: lint
	$(BIN)/python -m pytest --doctest-modules -m "not slow" src benchmarks tests

# Re-resolve requirements.in into requirements.lock (needs the network).
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile requirements.in --universal --python-version 3.11 \
	    --generate-hashes --output-file requirements.lock

clean:
	rm -rf $(BUILD)/html $(BUILD)/html-local $(DOCTREES) $(EXECUTION_CACHE) $(BUILD)/jupyter_execute \
	    $(BUILD)/screenshots $(TIME_SPLIT) $(SINGLEHTML) $(SINGLEHTML_DOCTREES)

# Sphinx's saved environment goes too: it would otherwise keep serving the
# chapters it read, and the emptied cache would never be asked.
clean-cache:
	rm -rf $(EXECUTION_CACHE) $(DOCTREES) $(SINGLEHTML_DOCTREES)
