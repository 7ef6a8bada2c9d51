# Two commands do everything on a fresh machine with Python 3.11:
#   make run   – venv, install, create/migrate/seed the SQLite store, start the app on :8501
#   make test  – the same install plus test needs (Debian chromium, haproxy and postgresql, Playwright), then
#                the whole suite on SQLite and the database tests again on PostgreSQL (with the proxy test)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test lint fmt bench install install-test browser proxy

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# requirements*.txt name what the code imports; requirements.lock pins everything they pull in.
$(VENV)/.installed: requirements.txt requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -c requirements.lock
	touch $@

$(VENV)/.installed-test: requirements-test.txt requirements.lock $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -r requirements-test.txt -c requirements.lock
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test browser proxy

# Debian's chromium for the browser tests; Playwright's own browser download is never used.
browser:
	@test -x /usr/bin/chromium || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

# Debian's haproxy (and openssl for the test certificate) for tests/test_proxy.py, which starts
# deploy/haproxy.cfg in front of two app processes.
proxy:
	@test -x /usr/sbin/haproxy -a -x /usr/bin/openssl || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq haproxy openssl; }

run: install
	$(BIN)/python -m integra init
	$(BIN)/streamlit run server.py --server.port $(PORT)

# Lint and types first, then the SQLite suite, then the database tests on Debian's PostgreSQL
# (installed and started by the script); pytest's exit 5 (no tests) fails the run.
test: install-test lint
	scripts/run-tests.sh

# One style (ruff format), ruff's lint rules and mypy over integra/ (pyproject.toml); `make fmt` fixes what it can.
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m mypy

fmt: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# All benchmarks (map vs. baseline, reruns, browser, memory, import, 25-session load test), printed
# as tables; about 10 minutes. Not part of the tests: times are measured, never asserted.
bench: install-test
	$(BIN)/python -m pip install --quiet -r requirements-bench.txt
	$(BIN)/python -m benchmarks
