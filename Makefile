# Every target prepares .venv itself, so on a fresh machine `make run` and `make test` are all the set-up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: run test lint typecheck bench screenshots packaging-check clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/nesds-desktop

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python scripts/sync_briefcase.py --check

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/run.py

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshots.py docs

# Briefcase configuration for every desktop target, and `briefcase dev` in smoke mode.
packaging-check: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,packaging]'
	$(BIN)/python scripts/sync_briefcase.py --check
	$(BIN)/python scripts/check_briefcase_targets.py
	QT_QPA_PLATFORM=offscreen NESDS_DATA_DIR=$$(mktemp -d) $(BIN)/briefcase dev --no-input -- --smoke

clean:
	rm -rf $(VENV) build dist .briefcase logs *.dist-info .mypy_cache .ruff_cache
