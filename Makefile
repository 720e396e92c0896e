# Terang: `make demo` serves the demo at http://127.0.0.1:8000, `make test` runs the suite.
# Both create .venv and install what is missing first.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)
PYTEST_ARGS ?=
# DEBUG is off unless set (a deployment without its secrets refuses to start): the developer's
# commands here ask for the demo's defaults explicitly. The tests get them under pytest.
DEV := DEBUG=1

.PHONY: setup system-deps messages demo serve test lint format makemessages clean

setup: system-deps $(STAMP) messages

system-deps:
	@bash scripts/system-deps.sh

# uv installs the pinned set in seconds where pip takes a minute (it is CI's first step);
# pip does it alone when uv cannot be had.
$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==0.13.9 2>/dev/null \
	  && $(VENV)/bin/uv pip install --quiet --python $(PY) -r requirements-dev.txt \
	  || $(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

MO := locale/en/LC_MESSAGES/django.mo

messages: $(MO)

# Compiled only when the catalogue changed, so two `make test` at once never write it together.
$(MO): locale/en/LC_MESSAGES/django.po $(STAMP)
	@$(DEV) $(PY) manage.py compilemessages --ignore=.venv --verbosity=0

makemessages: $(STAMP)
	$(DEV) $(PY) manage.py makemessages --locale=en --ignore=.venv --ignore=staticfiles --ignore=tests --no-obsolete

demo: setup
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py load_catalogue
	$(DEV) $(PY) manage.py install_schedules
	$(DEV) $(PY) manage.py signing_dev_ca
	$(DEV) $(PY) manage.py seed_demo
	$(DEV) $(PY) manage.py runserver 127.0.0.1:8000

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
