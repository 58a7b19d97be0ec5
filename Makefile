# Two commands do all the setup: `make serve` and `make test`.
# Both create .venv when it is missing or older than pyproject.toml; nothing is reinstalled otherwise.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# torch comes from your own index. Pick a build with, e.g.:
#   make test TORCH_SPEC='torch>=2.2' PIP_TORCH_ARGS='--index-url https://download.pytorch.org/whl/cpu'
TORCH_SPEC ?= torch>=2.2
PIP_TORCH_ARGS ?=
# The extras, in a variable: a literal comma inside $(call timed,...) would split its arguments.
EXTRAS := .[docs,test]
EXTRAS_BENCH := .[docs,test,bench]
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

# $(call timed,PHASE,COMMAND): run COMMAND and print how long it took, keeping its exit status.
timed = start=$$(date +%s.%N); $(2); rc=$$?; \
	awk -v s=$$start -v e=$$(date +%s.%N) 'BEGIN { printf "== %-6s %7.1fs\n", "$(1)", e - s }'; exit $$rc

.PHONY: setup serve test test-unit test-docs site docs-update clean bench docs-cost

# Decided when make starts: is the install older than pyproject.toml (or missing)?
SETUP_STALE := $(shell test $(STAMP) -nt pyproject.toml || echo stale)

setup: $(STAMP)
	@$(if $(SETUP_STALE),:,echo "== setup     0.0s  (up to date: nothing installed)")

$(STAMP): pyproject.toml
	@echo "== setup: creating $(VENV) and installing the project (torch: $(TORCH_SPEC))"
	@$(call timed,setup,test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) \
		&& $(BIN)/python -m pip install -q $(PIP_TORCH_ARGS) "$(TORCH_SPEC)" numpy \
		&& $(BIN)/python -m pip install -q -e "$(EXTRAS)" \
		&& touch $(STAMP))

serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

test: setup test-unit test-docs site

test-unit: $(STAMP)
	@$(call timed,unit,$(BIN)/python -m pytest -q tests lstm_explained)

test-docs: $(STAMP)
	@$(call timed,docs,$(BIN)/python -m pytest -q -p no:hypothesispytest docs)

site: $(STAMP)
	@$(call timed,site,$(BIN)/mkdocs build --strict --quiet)

# The Performance page's data: docs/performance/<device>.json and .svg. Options: make bench BENCH_ARGS='--help'.
BENCH_STAMP := $(VENV)/.installed-bench
BENCH_ARGS ?=
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install -q -e "$(EXTRAS_BENCH)" && touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	@$(call timed,bench,$(BIN)/python -m benchmarks.bench $(BENCH_ARGS))

# What checking docs/ costs over `python -c "import torch, sybil, pytest"`, side by side, median of 3.
docs-cost: $(STAMP)
	$(BIN)/python -m benchmarks.docs_cost

docs-update: $(STAMP)
	$(BIN)/python -m lstm_explained.docs_update

clean:
	rm -rf site .cache .pytest_cache .hypothesis
