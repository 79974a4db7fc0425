# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test bench bench-speech bench-web clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/storybank serve

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Benchmarks print numbers; they never pass or fail.
bench: $(VENV)/.installed
	$(BIN)/python bench/analyzer.py
	$(BIN)/python bench/store.py
	$(BIN)/python bench/planning.py
	$(BIN)/python bench/history_chart.py

bench-speech: $(VENV)/.installed-test   # needs Debian's flite
	$(BIN)/python bench/speech.py

bench-web: $(VENV)/.installed-test      # needs Debian's chromium
	$(BIN)/python bench/web.py

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache
