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
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshot_comparison.py
	$(BIN)/python scripts/render_action_plan.py
	$(BIN)/python scripts/render_action_plan.py --compare

# Briefcase configuration for every desktop target, icons in every size it names, the Linux
# desktop entry, AppStream metainfo and MIME type installed into a scratch tree and validated
# (Debian: desktop-file-utils, appstream, shared-mime-info), and `briefcase dev` in smoke mode.
packaging-check: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,packaging]'
	$(BIN)/python scripts/sync_briefcase.py --check
	$(BIN)/python scripts/check_briefcase_targets.py
	$(BIN)/python scripts/make_icons.py --check
	@stage=$$(mktemp -d) && mkdir -p $$stage/usr && set -e && \
	$(BIN)/python installers/linux/install_freedesktop_files.py $$stage/usr && \
	desktop-file-validate $$stage/usr/share/applications/*.desktop && \
	appstreamcli validate-tree --no-net $$stage && \
	XDG_DATA_DIRS=$$stage/usr/share update-mime-database $$stage/usr/share/mime && \
	grep -q ':\*\.nesds$$' $$stage/usr/share/mime/globs2 && \
	echo "desktop entry, AppStream metainfo and the .nesds MIME type are valid" && rm -rf $$stage
	QT_QPA_PLATFORM=offscreen NESDS_DATA_DIR=$$(mktemp -d) $(BIN)/briefcase dev --no-input -- --smoke

clean:
	rm -rf $(VENV) build dist .briefcase logs *.dist-info .mypy_cache .ruff_cache
