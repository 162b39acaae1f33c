# The two commands of the README: `make serve` and `make test`. Both set up what they need.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

PACKAGES := etl analysis report dashboard bench

.PHONY: serve test browser bytecode clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## Start the dashboard on data/slt.duckdb (built from the bundled sample if it does not exist)
serve: $(STAMP) bytecode
	$(VENV)/bin/slt serve

## Run the whole test suite: unit, integration (real CLI and DuckDB) and browser tests
test: $(STAMP) bytecode browser
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

## Compile our modules once: the editable install leaves them as source, and where
## PYTHONDONTWRITEBYTECODE is set (this machine, many container images) every `slt` process
## would compile ~50 modules again (~0.1 s of each start). Only changed files are compiled.
bytecode: $(STAMP)
	@$(PY) -m compileall -q -j 0 $(PACKAGES) > /dev/null

browser:
	@bash scripts/ensure-chromium.sh

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache
	find $(PACKAGES) tests -name __pycache__ -type d -prune -exec rm -rf {} +
