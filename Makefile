# mappa-ssg: everything a fresh machine with Python 3.11+ needs is set up by these targets.
# Every mappa command has a target, so `make` is all an author needs to type (see `make help`).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: help site html drafts check serve new new-area import test test-deps golden bench clean messages

help:                   ## list the targets
	@grep -E '^[a-z-]+:.*## ' Makefile | sed 's/:.*## /\t/'

site: $(STAMP)          ## build the example site and PDFs into output/
	$(BIN)/python build.py

html: $(STAMP)          ## build the site without PDFs
	$(BIN)/mappa build --no-pdf

drafts: $(STAMP)        ## build with draft reports included, marked "Draft": for sign-off, never to publish
	$(BIN)/mappa build --drafts -o for-sign-off

check: $(STAMP)         ## check the content, write nothing
	$(BIN)/mappa check

serve: $(STAMP)         ## preview at http://127.0.0.1:8000/, rebuilt on every save
	$(BIN)/mappa serve

new: $(STAMP)           ## start a year's report: make new AREA=folder-name YEAR=2021-22
	@test -n "$(AREA)" -a -n "$(YEAR)" || { echo 'usage: make new AREA=folder-name YEAR=2021-22' >&2; exit 2; }
	$(BIN)/mappa new "$(AREA)" "$(YEAR)"

new-area: $(STAMP)      ## start a new area: make new-area NAME="Area name"
	@test -n "$(NAME)" || { echo 'usage: make new-area NAME="Area name"' >&2; exit 2; }
	$(BIN)/mappa new-area "$(NAME)"

import: $(STAMP)        ## import published reports: make import FILES="old/report-2013-14.pdf old/report-2014-15.txt"
	@test -n "$(FILES)" || { echo 'usage: make import FILES="report.pdf ..."' >&2; exit 2; }
	$(BIN)/mappa import $(FILES)

test: $(STAMP) test-deps  ## run the test suite (installs Chromium, poppler-utils and Node.js if missing)
	$(BIN)/python -m pytest

test-deps:              ## install the system packages the tests use, or say which are missing
	sh scripts/test-deps.sh

messages: $(STAMP)      ## refresh the translation catalogs (mappa_ssg/locale/*/messages.po) after changing template text
	$(BIN)/pybabel extract -F babel.cfg -k _ -k gettext -k N_ --no-location --omit-header --sort-output -o mappa_ssg/locale/messages.pot .
	$(BIN)/pybabel update -i mappa_ssg/locale/messages.pot -d mappa_ssg/locale --no-fuzzy-matching

golden: $(STAMP)        ## regenerate the golden HTML files after an intended change
	MAPPA_UPDATE_GOLDEN=1 $(BIN)/python -m pytest tests/test_golden.py

bench: $(STAMP)         ## benchmark the synthetic national archive (prints one JSON object)
	@sh scripts/bench-deps.sh
	@$(BIN)/python -m pip install -q -e '.[test,bench]' >&2
	@$(BIN)/python benchmarks/run.py

clean:                  ## remove output/, the caches and the virtual environment
	rm -rf output .mappa-cache $(VENV)

$(STAMP): pyproject.toml
	sh scripts/system-deps.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@
