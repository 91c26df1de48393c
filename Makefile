# WIPO Match. `make run` sets everything up and serves the platform; `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test lint format messages compilemessages app-messages setup clean loadtest

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

# gunicorn with production settings under load on this database (docs/deployment.md):
# make loadtest LOADTEST_ARGS="--duration 60 --users 8"
loadtest: $(STAMP)
	$(PY) manage.py loadtest $(LOADTEST_ARGS)

# Checks only (what `make test` runs first); `make format` fixes what can be fixed.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Apps that keep their own catalogue in wipomatch/<app>/locale (the rest share locale/).
APP_CATALOGUES := brokering messaging cooperation stories insights
LANG_FLAGS := -l ar -l zh_Hans -l fr -l ru -l es

# Needs GNU gettext (apt-get install gettext). The compiled .mo files are committed, so running
# and testing the platform does not.
messages:
	$(PY) manage.py makemessages $(LANG_FLAGS) --ignore=.venv --ignore=var --no-obsolete $(foreach app,$(APP_CATALOGUES),--ignore=wipomatch/$(app)/*)
	@for app in $(APP_CATALOGUES); do \
	  (cd wipomatch/$$app && DJANGO_SETTINGS_MODULE=config.settings.dev PYTHONPATH=../.. \
	    ../../$(PY) -P -m django makemessages $(LANG_FLAGS) --no-obsolete) || exit 1; \
	done
	$(MAKE) compilemessages

compilemessages:
	$(PY) manage.py compilemessages --ignore=.venv

# One app's own catalogue only: make app-messages APP=brokering
app-messages:
	cd wipomatch/$(APP) && DJANGO_SETTINGS_MODULE=config.settings.dev PYTHONPATH=../.. \
	  ../../$(PY) -P -m django makemessages $(LANG_FLAGS) --no-obsolete
	cd wipomatch/$(APP) && DJANGO_SETTINGS_MODULE=config.settings.dev PYTHONPATH=../.. \
	  ../../$(PY) -P -m django compilemessages

clean:
	rm -rf $(VENV) var
