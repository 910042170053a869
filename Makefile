# Local development. `make run` sets everything up and serves the site; `make test` runs the suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Local targets run in development mode unless the caller says otherwise.
export DEBUG ?= true

.PHONY: run setup install migrate data messages serve test test-sqlite test-postgres lint superuser clean

run: setup data serve ## venv, install, migrate, load data, serve on http://127.0.0.1:8000

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'

setup: install messages migrate

messages: install
	$(BIN)/python manage.py compilemessages --ignore=.venv -v0

migrate: install
	$(BIN)/python manage.py migrate --noinput -v1

data: migrate
	$(BIN)/python manage.py load_territories
	$(BIN)/python manage.py load_study_cases

serve:
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

superuser: ## create an administrator account (asks for a password)
	$(BIN)/python manage.py createsuperuser

test: install messages ## the whole suite on the database named by DATABASE_URL (SQLite by default)
	$(BIN)/pytest

test-postgres: install messages
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres $(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var *.egg-info
