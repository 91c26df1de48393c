# WIPO Match. `make run` sets everything up and serves the platform; `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test lint format messages compilemessages setup clean

$(STAMP): requirements.lock
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)."; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	@touch $(STAMP)

setup: $(STAMP)
	@mkdir -p var
	$(PY) manage.py prepare

run: setup
	@echo "Serving WIPO Match on http://$(HOST):$(PORT)/ with the task worker. Ctrl-C stops both."
	$(PY) manage.py serve --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest $(PYTEST_ARGS)

lint:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Needs GNU gettext (apt-get install gettext). The compiled .mo files are committed, so running
# and testing the platform does not.
messages:
	$(PY) manage.py makemessages -l ar -l zh_Hans -l fr -l ru -l es --ignore=.venv --ignore=var --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var
