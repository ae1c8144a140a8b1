# Two commands: `make serve` (set up, build and preview the site of the bundled map) and
# `make test` (lint and the whole test suite; what CI runs through .ci/run).
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: setup serve build test bench
$(VENV)/.installed: pyproject.toml package.json package-lock.json
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed

serve: setup
	$(BIN)/fomo serve

build: setup
	$(BIN)/fomo build

test: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/fomo check --kb knowledge
	$(BIN)/pytest
