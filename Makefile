# Two entry points, each doing its own set-up on a fresh clone: `make report`, `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: report test analyse figures check install clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

report: $(STAMP)
	$(BIN)/imgshare report

analyse: $(STAMP)
	$(BIN)/imgshare analyse --out _output/analysis

figures: $(STAMP)
	$(BIN)/imgshare figures --out _output/figures

check: $(STAMP)
	$(BIN)/imgshare check

test: $(STAMP)
	$(BIN)/python -m pytest -q

clean:
	rm -rf _output .pytest_cache .imgshare-cache
