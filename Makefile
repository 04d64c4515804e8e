# Two commands on a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test venv dev lint typecheck pytest browser snapshot bench clean

$(BIN)/careerlens: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

venv: $(BIN)/careerlens

$(VENV)/.dev: pyproject.toml $(BIN)/careerlens
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

dev: $(VENV)/.dev

demo: venv
	$(BIN)/careerlens compare "Machine Learning Engineer" "AI Engineer"

browser:
	@bash .ci/install-chromium.sh

lint: dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: dev
	$(BIN)/mypy

pytest: dev browser
	$(BIN)/pytest -n 2 -q; rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi; exit $$rc

test: lint typecheck pytest

snapshot: venv
	$(BIN)/careerlens snapshot build --from ../shared/data

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

bench: dev
	$(BIN)/pip install -q -e '.[dev,bench]'
	$(BIN)/python benchmarks/eval_titles.py
	$(BIN)/python benchmarks/eval_skills.py
	$(BIN)/python benchmarks/skills_throughput.py
	$(BIN)/python benchmarks/titles_throughput.py
	$(BIN)/python benchmarks/ingest_throughput.py
	$(BIN)/python benchmarks/api_load.py
