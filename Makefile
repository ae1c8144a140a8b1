# Two commands: `make serve` (set up, build and preview the site of the bundled map) and
# `make test` (lint and the whole test suite; what CI runs through .ci/run). Node.js is
# optional: without it `make setup` warns and goes on (Mermaid diagrams show as source text).
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: setup serve build test bench
$(VENV)/.installed: pyproject.toml package.json package-lock.json
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error; \
	else \
		echo "warning: Node.js (npm) is not installed, so Mermaid and axe-core are not:" \
			"the site shows diagrams as their source text and the accessibility tests skip." \
			"Install Node.js 18+ (e.g. apt-get install nodejs npm), then run: npm ci" >&2; \
	fi
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
