# Two commands on a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test venv dev lint typecheck pytest browser snapshot bench clean

$(BIN)/careerlens: pyproject.toml setup.py
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

# The job-title classifier (titles.py, title_rules.py) is compiled with mypyc when the package is installed
# (setup.py; the extension modules land beside the sources, which stay the fallback). A build older than its
# sources would give way to them at run time (with a warning, 2x slower), so it is rebuilt when they change:
# unless the sha256 that setup.py wrote beside them still matches (no compiler: no stamp, a pure reinstall).
TITLES_DIR := src/careerlens/normalize
$(VENV)/.titles-native: $(TITLES_DIR)/titles.py $(TITLES_DIR)/title_rules.py | $(BIN)/careerlens
	@if (cd $(TITLES_DIR) && sha256sum --check --status _titles_native.sha256) 2>/dev/null; then :; else \
	  echo "rebuilding the compiled title classifier (mypyc, ~1 min)"; $(BIN)/pip install -q --no-deps -e .; fi
	touch $@

venv: $(BIN)/careerlens $(VENV)/.titles-native

# The dev extra's requirements only: the package, with its compiled classifier, is installed above, and
# `pip install -e '.[dev]'` would build it a second time (~1 min on a fresh clone).
$(VENV)/.dev: pyproject.toml setup.py $(BIN)/careerlens | $(VENV)/.titles-native
	$(BIN)/python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['optional-dependencies']['dev'], sep='\n')" > $(VENV)/dev-requirements.txt
	$(BIN)/pip install -q -r $(VENV)/dev-requirements.txt
	touch $@

dev: $(VENV)/.dev $(VENV)/.titles-native

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
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build
	rm -f $(TITLES_DIR)/*.so $(TITLES_DIR)/_titles_native.sha256 src/*__mypyc.*.so

bench: dev
	$(BIN)/pip install -q -e '.[dev,bench]'
	$(BIN)/python benchmarks/eval_titles.py
	$(BIN)/python benchmarks/eval_skills.py
	$(BIN)/python benchmarks/skills_throughput.py
	$(BIN)/python benchmarks/titles_throughput.py
	$(BIN)/python benchmarks/ingest_throughput.py
	$(BIN)/python benchmarks/api_load.py
