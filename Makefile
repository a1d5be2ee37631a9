# Two commands on a fresh machine: `make run` serves the app, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
CHROMIUM ?= /usr/bin/chromium

.PHONY: run serve test fuzz install chromium poppler migrate clean cds-token

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

# The PDFs need nothing outside the virtualenv: Typst's wheel holds the typesetter, static/fonts/ the fonts.
install: $(STAMP)

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

# The PDF tests ask poppler's pdfinfo whether a PDF is tagged, as a reader of the file would.
poppler:
	@if ! command -v pdfinfo >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils; \
	  else \
	    echo "pdfinfo is missing: run 'sudo apt-get install -y poppler-utils' (the PDF tests need it)." >&2; exit 1; \
	  fi; \
	fi

# One test process per core (pytest-xdist); the slowest tests are listed at the end. PYTEST_ARGS picks tests:
# .ci/run passes -m database for the PostgreSQL run, which only the tests that use the database need.
PYTEST_ARGS ?=
test: install chromium poppler
	$(BIN)/python -m pytest -n auto --durations=15 $(PYTEST_ARGS)

# A curl command that calls the CDS Hooks service (running on 127.0.0.1:8000) with a fresh token from the
# local development EHR: eval "$$(make -s cds-token)". ENDPOINT: discovery, a service id, or <service id>/feedback.
ENDPOINT ?= cledss-thalidomide-patient-view
cds-token: install
	@$(BIN)/python manage.py cds_token --curl $(ENDPOINT)

# The fuzzing tests at full strength (1,500 examples a test, random each run; tests/hypothesis_profiles.py);
# `make test` runs them at the ci profile's 100. PYTEST_ARGS picks tests, e.g. PYTEST_ARGS="-k card_feedback".
fuzz: install
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/test_fuzzing.py -p no:randomly --hypothesis-show-statistics $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
