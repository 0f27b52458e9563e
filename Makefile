# Two entry points, each doing its own set-up on a fresh clone: `make report`, `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: report test analyse figures check install clean quarto-env sync-extensions reference-docx

# pip prints a line per package it collects and installs (a few minutes on a fresh clone), so
# the set-up is never silent; `make -s` keeps only pip's own lines.
$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || { echo "make: creating the virtual environment $(VENV)/"; $(PYTHON) -m venv $(VENV); }
	@echo "make: installing imgshare and the pinned versions of constraints.txt into $(VENV)/ (a few minutes the first time)"
	$(BIN)/python -m pip install --disable-pip-version-check --progress-bar on -c constraints.txt -e '.[test]'
	@touch $(STAMP)
	@echo "make: $(VENV)/ is ready"

install: $(STAMP)

# What `quarto render` needs in this venv (its Jupyter engine), pinned; then point Quarto at it.
$(VENV)/.quarto-installed: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test,quarto]'
	@touch $@

quarto-env: $(VENV)/.quarto-installed
	@echo "Quarto's Python: export QUARTO_PYTHON=$(CURDIR)/$(BIN)/python (imgshare report sets it itself)"

# The Quarto extension is edited in _extensions/; the generic manuscript ships a copy, and its
# stylesheet is the built-in engine's (imgshare/report/resources/imgshare.css).
EXT := _extensions/imgshare-manuscript
sync-extensions:
	cp imgshare/report/resources/imgshare.css $(EXT)/imgshare.css
	rm -rf imgshare/report/templates/generic/$(EXT)
	cp -R $(EXT) imgshare/report/templates/generic/$(EXT)

report: $(STAMP)
	$(BIN)/imgshare report

analyse: $(STAMP)
	$(BIN)/imgshare analyse --out _output/analysis

figures: $(STAMP)
	$(BIN)/imgshare figures --out _output/figures

check: $(STAMP)
	$(BIN)/imgshare check

# The Word reference document (styles, A4, footer) both engines use; committed, rebuilt by code.
reference-docx: $(STAMP)
	$(BIN)/python -c 'from imgshare.report._docx_reference import write_reference_copies; write_reference_copies()'

test: $(STAMP)
	$(BIN)/python -m pytest -q

clean:
	rm -rf _output .pytest_cache .imgshare-cache
