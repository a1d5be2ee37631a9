# Two commands on a fresh machine: `make run` serves the app, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
CHROMIUM ?= /usr/bin/chromium

# WeasyPrint (the PDF summary) loads these Debian libraries at run time.
PANGO_LIBS := libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz-subset.so.0
PANGO_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0

.PHONY: run serve test fuzz install chromium pango migrate clean cds-token

run: migrate
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# gunicorn as in production (cledss/gunicorn_conf.py): PORT, WEB_CONCURRENCY, DJANGO_ENV and the
# other DJANGO_* variables pass through; collected static files are served by whitenoise.
serve: migrate
	$(BIN)/gunicorn -c python:cledss.gunicorn_conf cledss.wsgi

migrate: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_evidence
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

install: pango $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "Chromium is missing: run 'sudo apt-get install -y chromium' (browser tests need it)." >&2; exit 1; \
	  fi; \
	fi

pango:
	@missing=""; for lib in $(PANGO_LIBS); do \
	  PATH="$$PATH:/sbin:/usr/sbin" ldconfig -p | grep -q "$$lib" || missing="$$missing $$lib"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PANGO_PACKAGES); \
	  else \
	    echo "Missing$$missing: run 'sudo apt-get install -y $(PANGO_PACKAGES)' (PDF summaries need them)." >&2; exit 1; \
	  fi; \
	fi

# One test process per core (pytest-xdist); the slowest tests are listed at the end.
test: install chromium
	$(BIN)/python -m pytest -n auto --durations=15

# A curl command that calls the CDS Hooks service (running on 127.0.0.1:8000) with a fresh token from the
# local development EHR: eval "$$(make -s cds-token)". ENDPOINT: discovery, a service id, or <service id>/feedback.
ENDPOINT ?= cledss-thalidomide-patient-view
cds-token: install
	@$(BIN)/python manage.py cds_token --curl $(ENDPOINT)

# The fuzzing tests at full strength (about 10,000 examples, random each run; tests/hypothesis_profiles.py).
fuzz: install
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/test_fuzzing.py -p no:randomly --hypothesis-show-statistics

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
