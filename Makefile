# `make serve` to read the site, `make test` for every check; `make help` lists the rest. Both create .venv
# when it is missing or older than pyproject.toml, tooling-lock.txt or the package's version (lstm_explained/__init__.py),
# and install nothing otherwise.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := tooling-lock.txt
# torch is yours, unpinned, from your own index, e.g. PIP_TORCH_ARGS='--index-url https://download.pytorch.org/whl/cpu'
TORCH_SPEC ?= torch>=2.2
PIP_TORCH_ARGS ?=
NUMPY_SPEC ?= numpy
# The oldest pair the package claims, and the newest: torch on your index, read when the target runs.
TORCH_OLDEST ?= 2.2.2
PYTHON_OLDEST ?= python3.10
TORCH_NEWEST ?= $(shell $(PYTHON) -m pip index versions $(PIP_TORCH_ARGS) torch 2>/dev/null | sed -n 's/^torch (\(.*\))$$/\1/p')
PYTHON_NEWEST ?= python3.13
PIP_INSTALL = $(BIN)/python -m pip install -q --no-compile
# --no-compile leaves bytecode to the first import, which PYTHONDONTWRITEBYTECODE would forbid (every import slow).
unexport PYTHONDONTWRITEBYTECODE
export NO_MKDOCS_2_WARNING := 1
TEST_JOBS ?= $(shell [ "$$(nproc 2>/dev/null || echo 1)" -ge 2 ] && echo 2 || echo 1)
# $(call timed,PHASE,COMMAND): runs COMMAND, prints how long it took, keeps its exit status.
timed = start=$$(date +%s.%N); $(2); rc=$$?; \
	awk -v s=$$start -v e=$$(date +%s.%N) 'BEGIN { printf "== %-6s %7.1fs\n", "$(1)", e - s }'; exit $$rc
# A venv with pip 25.1+ (for --group): from $(PYTHON)'s own pip when it can, else ensurepip and an upgrade.
NEW_VENV = { $(PYTHON) -m venv --without-pip $(VENV) && $(PYTHON) -m pip --python $(BIN)/python install -q "pip>=25.1" 2>/dev/null; } \
	|| { rm -rf $(VENV) && $(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install -q --upgrade "pip>=25.1"; }
# torch, numpy, the locked tooling and the project in one pip run; with PIP_TORCH_ARGS, torch and numpy first, apart.
INSTALL = $(if $(strip $(PIP_TORCH_ARGS)),$(PIP_INSTALL) $(PIP_TORCH_ARGS) "$(TORCH_SPEC)" "$(NUMPY_SPEC)" && )$(PIP_INSTALL) \
	"$(TORCH_SPEC)" "$(NUMPY_SPEC)" -r $(LOCK) -e .
# $(call ON_TORCH,VERSION,PYTHON): the unit and docs tests with torch==VERSION on PYTHON, in their own venv.
ON_TORCH = if ! $(2) --version >/dev/null 2>&1; then echo "$(2) is not here: name another with $(3)=..., e.g. $(3)=python3"; exit 2; fi; \
	if [ -z "$(1)" ]; then echo "no torch release found on the index (pip index versions torch): name one with TORCH_NEWEST=..."; exit 2; fi; \
	echo "== torch $(1) on $$($(2) --version)"; \
	$(MAKE) --no-print-directory test-unit test-docs VENV=.venv-torch$(1)-$(notdir $(2)) PYTHON='$(2)' TORCH_SPEC='torch==$(1)' \
	PIP_TORCH_ARGS='$(PIP_TORCH_ARGS)'

.PHONY: help setup lock serve test lint test-unit test-docs site test-browser test-notebooks screenshots docs-update \
	bench clean test-torch-oldest test-torch-newest test-determinism test-mutation-code check-dist gpu-check
.DEFAULT_GOAL := help

# Setup
help: ## list the targets
	@awk -F':.*## ' '/^[a-z-]+:.*## / { printf "  %-20s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)
setup: $(STAMP) node_modules/.installed ## create .venv (torch, the locked tooling, the package) and node_modules (axe-core)
$(STAMP): pyproject.toml $(LOCK) lstm_explained/__init__.py  # the version the install's metadata records
	@echo "== setup: $(VENV), tooling from $(LOCK), torch: $(TORCH_SPEC)"
	@$(call timed,setup,{ test -x $(BIN)/python || $(NEW_VENV); } && $(INSTALL) && touch $(STAMP))
node_modules/.installed: package.json package-lock.json
	@npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@
lock: $(STAMP) ## refresh tooling-lock.txt: the newest docs and test groups that install on Python 3.10 and up
	$(PIP_INSTALL) --group lock && $(BIN)/uv pip compile --quiet --upgrade --universal --python-version 3.10 \
		--group pyproject.toml:docs --group pyproject.toml:test -o $(LOCK)

# Reading and checking
serve: $(STAMP) ## the site at http://127.0.0.1:8000/lstm-explained/, rebuilding the page you edit
	LLMS_TXT=false MKDOCS_STRICT=false NOTEBOOK_CACHE_DIR=.cache/serve-notebooks \
		$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload --dirty
test: setup lint ## every check: lint, unit, docs, and the site in a browser, TEST_JOBS (default 2) at a time
	@$(call timed,total,$(MAKE) --no-print-directory -j$(TEST_JOBS) --output-sync=target test-unit test-docs test-browser)
lint: $(STAMP) ## ruff over the repository
	@$(call timed,lint,$(BIN)/ruff check --quiet .)
test-unit: $(STAMP) ## the package's and the tooling's tests (not the browser's)
	@$(call timed,unit,$(BIN)/python -m pytest -q tests --ignore=tests/browser)
test-docs: $(STAMP) ## every page and docstring example, each printed output proven by mutation
	@$(call timed,docs,$(BIN)/python -m pytest -q -rs --disable-plugin-autoload -p no:logging -p no:unraisableexception docs lstm_explained)
site: $(STAMP) ## mkdocs build --strict into site/, notebooks executed
	@$(call timed,site,$(BIN)/mkdocs build --strict --quiet)
test-browser: $(STAMP) node_modules/.installed site ## the built site in Chromium: every page, axe, a phone, search, the calculator
	@$(BIN)/python -m docs_tools.browser.chromium
	@$(call timed,browser,$(BIN)/python -m pytest -q -rs tests/browser)
test-notebooks: $(STAMP) ## the notebooks alone, with nbclient (the site build executes them too)
	@$(call timed,nbooks,$(BIN)/python -m pytest -q -p no:randomly -m notebooks tests/pages/test_notebooks.py)

# On demand; CI runs check-dist, test-torch-oldest, test-torch-newest, test-determinism and test-mutation-code MUTATE=release after make test
screenshots: $(STAMP) node_modules/.installed site ## every page audited, then screenshots into screenshots/
	$(BIN)/python -m docs_tools.browser.audit --json
	$(BIN)/python -m docs_tools.browser.screenshots
docs-update: $(STAMP) ## rewrite every expected output in docs/ from execution
	$(BIN)/python -m docs_tools.update
gpu-check: $(STAMP) ## on a CUDA machine: every GPU-only statement of the pages executed, then the GPU benchmark (elsewhere: one line)
	@if $(BIN)/python -c "import sys, torch; sys.exit(not torch.cuda.is_available())"; then $(PIP_INSTALL) --group bench; fi
	@$(BIN)/python -m docs_tools.gpu_check
bench: $(STAMP) ## rerun the Performance page's benchmark (BENCH_ARGS='--help' for its options)
	$(PIP_INSTALL) --group bench && $(BIN)/python -m benchmarks.bench $(BENCH_ARGS)
clean: ## remove what builds and tests leave: site/, .cache/, build/, node_modules/
	rm -rf site .cache build .pytest_cache .hypothesis node_modules mutants
test-torch-oldest: ## unit and docs tests with the oldest pair claimed: torch $(TORCH_OLDEST) on Python 3.10
	@$(call ON_TORCH,$(TORCH_OLDEST),$(PYTHON_OLDEST),PYTHON_OLDEST) NUMPY_SPEC='numpy<2'
test-torch-newest: ## unit and docs tests with the newest pair: the newest torch on your index, on Python 3.13
	@$(call ON_TORCH,$(TORCH_NEWEST),$(PYTHON_NEWEST),PYTHON_NEWEST)
test-determinism: $(STAMP) ## the docs with 1 and 2 threads, in random page order, twice each
	@for threads in 1 2; do for run in 1 2; do echo "== docs, $$threads thread(s), run $$run"; \
		LSTM_EXPLAINED_THREADS=$$threads $(BIN)/python -m pytest -q -p randomly docs lstm_explained || exit 1; done; done
test-mutation-code: $(STAMP) ## mutmut over lstm_explained/ (MUTATE=all or changed), report in build/
	$(PIP_INSTALL) --group mutation && PATH=$(abspath $(BIN)):$$PATH nice -n 10 \
		$(BIN)/python -m docs_tools.package_mutation --modules $(or $(MUTATE),changed) --base $(or $(MUTATE_BASE),main)
check-dist: $(STAMP) ## build the sdist and the wheel, twine check them, install each with torch alone and run it
	@$(call timed,dist,PY=$(BIN)/python TORCH_SPEC='$(TORCH_SPEC)' PIP_TORCH_ARGS='$(PIP_TORCH_ARGS)' .ci/check-dist $(DIST))
