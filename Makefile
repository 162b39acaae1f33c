# The two commands of the README: `make serve` and `make test`. Both set up what they need.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: serve test browser clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## Start the dashboard on data/slt.duckdb (built from the bundled sample if it does not exist)
serve: $(STAMP)
	$(VENV)/bin/slt serve

## Run the whole test suite: unit, integration (real CLI and DuckDB) and browser tests
test: $(STAMP) browser
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

browser:
	@bash scripts/ensure-chromium.sh

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache
