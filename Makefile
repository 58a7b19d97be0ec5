# Two commands do all the setup: `make serve` and `make test`.
# Both create .venv when it is missing or older than pyproject.toml; nothing is reinstalled otherwise.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
AXE_STAMP := node_modules/.installed
# torch comes from your own index. Pick a build with, e.g.:
#   make test TORCH_SPEC='torch>=2.2' PIP_TORCH_ARGS='--index-url https://download.pytorch.org/whl/cpu'
TORCH_SPEC ?= torch>=2.2
PIP_TORCH_ARGS ?=
GROUPS := --group docs --group test
NUMPY_SPEC ?= numpy
export NO_MKDOCS_2_WARNING := 1
# pip installs without compiling every module (--no-compile: torch alone is thousands of files, most never
# imported); Python writes the bytecode of what is imported, once, on first import. Measured on 2 cores:
# installing torch 41 s -> 11 s, the project and its groups 35 s -> 19 s. So that it does, PYTHONDONTWRITEBYTECODE
# (set in some environments, as on our CI's machines) is not passed on: without bytecode, every `import torch`
# compiles torch again, 5.3 s instead of 2.3 s, and torch._dynamo (the first optimizer imports it) 13 s instead of 3.7 s.
PIP_INSTALL = $(BIN)/python -m pip install -q --no-compile
unexport PYTHONDONTWRITEBYTECODE

# $(call timed,PHASE,COMMAND): run COMMAND and print how long it took, keeping its exit status.
timed = start=$$(date +%s.%N); $(2); rc=$$?; \
	awk -v s=$$start -v e=$$(date +%s.%N) 'BEGIN { printf "== %-6s %7.1fs\n", "$(1)", e - s }'; exit $$rc

.PHONY: lint test-python test-notebooks check-wheel setup serve test test-unit test-docs site docs-update clean test-matrix test-torch-oldest test-torch-newest test-determinism test-mutation test-mutation-code test-browser screenshots bench docs-cost

# Decided when make starts: is the install older than pyproject.toml (or missing)?
SETUP_STALE := $(shell test $(STAMP) -nt pyproject.toml || echo stale)

setup: $(STAMP) $(AXE_STAMP)
	@$(if $(SETUP_STALE),:,echo "== setup     0.0s  (up to date: nothing installed)")

# axe-core for the browser tests' accessibility audit: the version package-lock.json pins, from npm,
# into the git-ignored node_modules/ (the tests inject it from disk, never from a CDN).
$(AXE_STAMP): package.json package-lock.json
	@echo "== setup: npm ci (axe-core, pinned in package-lock.json)"
	@npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $(AXE_STAMP)

# A new venv with pip 25.1 or later (for --group): put there by the pip of $(PYTHON) when it has one that can
# (pip --python, 22.3+: 2 s), else by ensurepip and then upgraded (7 s: ensurepip compiles the old pip it installs).
NEW_VENV = { $(PYTHON) -m venv --without-pip $(VENV) && $(PYTHON) -m pip --python $(BIN)/python install -q --no-compile "pip>=25.1" 2>/dev/null; } \
	|| { rm -rf $(VENV) && $(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install -q --no-compile --upgrade "pip>=25.1"; }

# torch, numpy, the project and its groups in one pip run (one resolution: measured 57-63 s against 68-70 s
# for two runs, on a slow disk); with PIP_TORCH_ARGS (another index, for torch alone), torch and numpy first, apart.
INSTALL_PROJECT = $(if $(strip $(PIP_TORCH_ARGS)), \
	$(PIP_INSTALL) $(PIP_TORCH_ARGS) "$(TORCH_SPEC)" "$(NUMPY_SPEC)" && $(PIP_INSTALL) -e . $(GROUPS), \
	$(PIP_INSTALL) "$(TORCH_SPEC)" "$(NUMPY_SPEC)" -e . $(GROUPS))

$(STAMP): pyproject.toml
	@echo "== setup: creating $(VENV) and installing the project (torch: $(TORCH_SPEC))"
	@$(call timed,setup,{ test -x $(BIN)/python || $(NEW_VENV); } \
		&& $(INSTALL_PROJECT) \
		&& touch $(STAMP))

# Serving rebuilds only the page that changed (--dirty, which strict mode would refuse) and leaves
# out llms.txt (it converts every page on every build). `make site` and `make test` build it all, strict.
serve: $(STAMP)
	LLMS_TXT=false MKDOCS_STRICT=false $(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload --dirty

# The phases in two lines, unit then docs and site then browser: side by side with TEST_JOBS=2 (the
# default from 2 CPUs up), one after the other with TEST_JOBS=1. Measured on 2 CPUs, side by side is faster
# both warm (46.7 s against 68.1 s, the page sweep's pages taken from its cache) and with every page loaded
# (PAGE_SWEEP_CACHE=off: 91.1 s against 119.3 s). Side by side, each prints its output and its time when
# it ends; the total comes last.
TEST_JOBS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); [ "$$n" -ge 2 ] && echo 2 || echo 1)
test: setup lint
	@$(if $(filter 1,$(TEST_JOBS)),:,echo "== unit and docs run beside site and browser (TEST_JOBS=$(TEST_JOBS)); each prints when it ends")
	@$(call timed,total,$(MAKE) --no-print-directory -j$(TEST_JOBS) --output-sync=target test-python test-browser)

# The Python checks in order: the package's tests, then the pages and docstrings.
test-python: $(STAMP)
	@$(MAKE) --no-print-directory test-unit
	@$(MAKE) --no-print-directory test-docs

lint: $(STAMP)
	@$(call timed,lint,$(BIN)/ruff check --quiet .)

test-unit: $(STAMP)
	@$(call timed,unit,$(BIN)/python -m pytest -q tests --ignore=tests/browser)

test-docs: $(STAMP)
	@$(call timed,docs,$(BIN)/python -m pytest -q -rs --disable-plugin-autoload -p no:logging -p no:unraisableexception docs lstm_explained)

site: $(STAMP)
	@$(call timed,site,$(BIN)/mkdocs build --strict --quiet)

# The built site in Chromium (Debian's /usr/bin/chromium, CHROMIUM_PATH, or `playwright install chromium`).
test-browser: $(STAMP) $(AXE_STAMP) site
	@$(BIN)/python -m docs_tools.chromium
	@$(call timed,browser,$(BIN)/python -m pytest -q -rs tests/browser)

# The notebooks alone, with nbclient: the site build executes them too (a failing cell fails it).
test-notebooks: $(STAMP)
	@$(call timed,nbooks,$(BIN)/python -m pytest -q -p no:randomly -m notebooks tests/pages/test_notebooks.py)

# Every page audited (axe in both schemes, 375 px phone), then 375 px screenshots of a few pages,
# light and dark, into screenshots/ (git-ignored). On demand: not part of make test.
screenshots: $(STAMP) $(AXE_STAMP) site
	$(BIN)/python -m tests.browser.audit --json
	$(BIN)/python -m tests.browser.screenshots

docs-update: $(STAMP)
	$(BIN)/python -m docs_tools.update

# The Performance page's data: docs/performance/<device>.json and .svg. Options: make bench BENCH_ARGS='--help'.
BENCH_STAMP := $(VENV)/.installed-bench
BENCH_ARGS ?=
$(BENCH_STAMP): $(STAMP)
	$(PIP_INSTALL) --group bench && touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	@$(call timed,bench,$(BIN)/python -m benchmarks.bench $(BENCH_ARGS))

# What checking docs/ costs over `python -c "import torch, sybil, pytest"`, side by side, median of 3; and how much
# of the rest is torch._dynamo, which the first torch.optim optimizer imports (make docs-cost DOCS_COST_ARGS='--repeats 7').
DOCS_COST_ARGS ?=
docs-cost: $(STAMP)
	$(BIN)/python -m benchmarks.docs_cost $(DOCS_COST_ARGS)

clean:
	rm -rf site .cache .pytest_cache .hypothesis node_modules

# ---- Version matrix: the unit and docs tests under the oldest supported torch and the newest
# pip offers here, each in its own venv (.venv-torch<version>), built by the same setup as above.
# The CUDA wheels are large (GBs): the venvs are built once and reused.
TORCH_OLDEST ?= 2.2.2
TORCH_NEWEST ?= 2.14.1
MATRIX_MAKE = $(MAKE) --no-print-directory PIP_TORCH_ARGS='$(PIP_TORCH_ARGS)'

test-matrix:
	@$(call timed,matrix,$(MAKE) --no-print-directory test-torch-oldest && $(MAKE) --no-print-directory test-torch-newest)

# torch 2.2 was built against numpy 1.x.
test-torch-oldest:
	@echo "== torch $(TORCH_OLDEST) in .venv-torch$(TORCH_OLDEST)"
	@$(MATRIX_MAKE) test-unit test-docs VENV=.venv-torch$(TORCH_OLDEST) TORCH_SPEC='torch==$(TORCH_OLDEST)' NUMPY_SPEC='numpy<2'

test-torch-newest:
	@echo "== torch $(TORCH_NEWEST) in .venv-torch$(TORCH_NEWEST)"
	@$(MATRIX_MAKE) test-unit test-docs VENV=.venv-torch$(TORCH_NEWEST) TORCH_SPEC='torch==$(TORCH_NEWEST)'

# ---- Mutation test of the docs: every expected output (pages and docstrings) must fail once one of its
# characters changes. The docs phase proves it as it checks each output (docs_tools/checker.py); this
# runs the pages and docstrings alone and prints the count.
test-mutation: $(STAMP)
	@$(call timed,mutate,$(BIN)/python -m pytest -q -p no:randomly -p no:hypothesispytest docs lstm_explained)

# ---- Mutation test of the package's own code (mutmut, `--group mutation`): small realistic changes to
# lstm_explained/ (a flipped comparison, a swapped dimension, a wrong word), one at a time; each must fail
# a package test. Only the tests that reach the changed function run, with Hypothesis derandomized and
# capped (tests/conftest.py). MUTATE=changed (default): the modules changed against MUTATE_BASE;
# MUTATE=all: the whole package, and tests/mutation-report.json is rewritten. Not part of `make test`.
MUT_STAMP := $(VENV)/.installed-mutation
MUTATE ?= changed
MUTATE_BASE ?= main
MUTATE_JOBS ?= 2
$(MUT_STAMP): $(STAMP)
	$(PIP_INSTALL) --group mutation && touch $(MUT_STAMP)

test-mutation-code: $(MUT_STAMP)
	@$(call timed,mutcode,PATH=$(abspath $(BIN)):$$PATH nice -n 10 $(BIN)/python tests/mutation_code.py --modules $(MUTATE) --base $(MUTATE_BASE) --jobs $(MUTATE_JOBS))

# ---- Determinism: the docs (pages and docstrings) pass with 1 and 2 threads, in a fresh random
# page order each time (pytest-randomly), twice in a row.
test-determinism: $(STAMP)
	@$(call timed,determ,for threads in 1 2; do for run in 1 2; do seed=$$(date +%N); \
		echo "== docs with LSTM_EXPLAINED_THREADS=$$threads (run $$run; --randomly-seed=$$seed)"; \
		LSTM_EXPLAINED_THREADS=$$threads $(BIN)/python -m pytest -q -p randomly --randomly-seed=$$seed docs lstm_explained || exit 1; \
	done; done)

# ---- The wheel: only lstm_explained/**, requires torch alone, installs and runs in a clean venv (.ci/run runs it).
check-wheel: $(STAMP)
	@$(call timed,wheel,PY=$(BIN)/python TORCH_SPEC='$(TORCH_SPEC)' PIP_TORCH_ARGS='$(PIP_TORCH_ARGS)' .ci/check-wheel)
