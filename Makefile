# Two commands for everyone: `make run` (set up + run all notebooks) and `make test`.
# Both create .venv in the repository if it is missing and install the exact versions
# pinned in requirements.lock, so every machine computes with the same libraries.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test lab lint bench lock clean setup

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-*
	touch $@

run: $(STAMP)
	$(BIN)/c6lab run $(ARGS)

# --dist loadgroup: conftest.py's scheduler sends the tests that share a run of the notebooks to
# one worker, the longest groups first, and every other test with its file.
# -p tests.pytest_startup: 2.5 s less per pytest process (see that file).
test: $(STAMP)
	$(BIN)/python -m pytest -p tests.pytest_startup -n auto --dist loadgroup tests --nbval --nbval-current-env \
		--nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider \
		--doctest-modules --ignore-glob="notebooks/*.py" --doctest-glob="*.md" \
		src/c6lab docs notebooks $(ARGS)

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/tokenize.py
	$(BIN)/python benchmarks/sentiment.py
	$(BIN)/python benchmarks/import_time.py

# Refresh the pins after editing pyproject.toml (needs the package registry).
lock:
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv
	.lockvenv/bin/pip install --quiet -e ".[dev]"
	{ echo "# Exact versions installed by 'make' (Python 3.11). Regenerate with 'make lock' after changing pyproject.toml."; \
	  .lockvenv/bin/pip freeze --exclude-editable; } > requirements.lock
	rm -rf .lockvenv

clean:
	rm -rf build .pytest_cache
