# The two commands of the README: `make serve` and `make test`. Each creates the virtual
# environment (.venv) when it is missing or older than pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: serve test test-fast venv build browser frontend lint clean bench

$(BIN)/dsih-kg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,dev]'
	touch $(BIN)/dsih-kg

venv: $(BIN)/dsih-kg

serve: venv frontend
	$(BIN)/dsih-kg serve --host $(HOST) --port $(PORT)

test: venv frontend browser
	$(BIN)/pytest -q

# The in-process tests only (no service processes, no browser, no hostile suite): about a minute.
test-fast: venv
	$(BIN)/pytest -q -m "not slow and not hostile and not browser"

build: venv
	$(BIN)/dsih-kg build -o build/dsih.nq

# Front-end libraries come from the npm registry at build time and are served locally.
frontend:
	@if [ -f frontend/package.json ]; then $(MAKE) -C frontend; fi

# Browser tests drive Debian's chromium; install it when missing (CI starts on a bare machine).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing chromium (Debian package) for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "warning: could not install chromium; browser tests will be skipped"; }

bench: venv
	$(BIN)/python -m benchmarks.run

lint: venv
	$(BIN)/ruff check src tests

clean:
	rm -rf build .pytest_cache
