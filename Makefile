# Two commands on a fresh machine: `make run` serves the app, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test install chromium migrate clean

run: migrate
	$(BIN)/python manage.py runserver 127.0.0.1:8000

migrate: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_evidence
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

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

test: install chromium
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
