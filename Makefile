# Everything a fresh machine with Python 3.11+ needs: each target makes .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format migrate seed-demo clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[embedded,test,bench]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m service serve

# The suite in two processes, then the tests that bound a time or load the machine on their
# own: with another process beside them a shared machine's stalls become their failures.
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -m "not timing"
	$(BIN)/python -m pytest -m timing

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: $(STAMP)
	$(BIN)/python -m service migrate

seed-demo: $(STAMP)
	$(BIN)/python -m service seed-demo

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
