# Quick start: `make demo` (the main job) and `make test`. Both build .venv first when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test test-fast bench bench-pool faults rehearsal serve lint

# The environment alone: created or refreshed whenever pyproject.toml changes.
$(VENV): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(VENV)

demo: $(VENV)
	$(BIN)/thidua demo

# On two processes (pytest-xdist): each has its own databases, Prefect test server and ports.
test: $(VENV)
	$(BIN)/python -m pytest -n 2

# Everything but the tests marked `slow` (those that need Prefect's server or a browser).
test-fast: $(VENV)
	$(BIN)/python -m pytest -n 2 -m "not slow"

bench: $(VENV)
	$(BIN)/python bench/cli.py
	$(BIN)/python bench/notify.py
	$(BIN)/python bench/tick.py
	$(BIN)/python bench/portal.py

# The fault suite (faults/run.py): kill -9, pauses, outages, bad plans and inputs, on SQLite and PostgreSQL; a table,
# then one JSON line. Not part of `make test` (several minutes: Prefect's temporary server starts a dozen times).
faults: $(VENV)
	$(BIN)/python -m faults.run

# Production rehearsed on this machine (deployments/rehearsal.py): PostgreSQL, `prefect server start` with
# authentication, Secret blocks, `thidua deploy`, two workers, a worker killed mid-run, backup and restore;
# loopback only, everything started is stopped. A table, then one JSON line. About 10 minutes.
rehearsal: $(VENV)
	$(BIN)/python -m deployments.rehearsal

# The daily dispatch on a work pool at national breadth (34 plans, 1,020 units), one worker then two.
bench-pool: $(VENV)
	$(BIN)/python bench/pool.py

serve: $(VENV)
	$(BIN)/thidua serve --embedded

lint: $(VENV)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
