# mappa-ssg: everything a fresh machine with Python 3.11+ needs is set up by these targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: site html test check golden bench clean

site: $(STAMP)          ## build the example site and PDFs into output/
	$(BIN)/python build.py

html: $(STAMP)          ## build the site without PDFs
	$(BIN)/python build.py build --no-pdf

check: $(STAMP)         ## check the content, write nothing
	$(BIN)/mappa check

test: $(STAMP)          ## run the test suite
	$(BIN)/python -m pytest

golden: $(STAMP)        ## regenerate the golden HTML files after an intended change
	MAPPA_UPDATE_GOLDEN=1 $(BIN)/python -m pytest tests/test_golden.py

bench: $(STAMP)         ## benchmark the synthetic national archive (prints one JSON object)
	@$(BIN)/python -m pip install -q -e '.[test,bench]' >&2
	@$(BIN)/python benchmarks/run.py

clean:
	rm -rf output .mappa-cache $(VENV)

$(STAMP): pyproject.toml
	sh scripts/system-deps.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@
