# Two commands on a fresh machine with Python 3.11, pip and git: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# 0.0.0.0 lets a phone on the same network open the demo (see the README).
HOST ?= 127.0.0.1
export SITE_URL ?= http://127.0.0.1:$(PORT)
export PORT

.PHONY: run test install fonts system-deps migrate demo lint format check-deploy bench messages clean

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c "import sys; assert sys.version_info[:2] >= (3, 11), sys.version" || { echo "需要 Python 3.11 (found $(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# Noto Sans CJK (SIL OFL) for Chinese in charts and PDFs, from Debian's packages.
fonts:
	@bash scripts/ensure_debian_packages.sh fonts-noto-cjk

# espeak-ng (GPL-3; its audio is not covered) and lame (LGPL): the 朗读 button's MP3s (docs/rating.md).
system-deps: fonts
	@bash scripts/ensure_debian_packages.sh zbar-tools poppler-utils chromium gettext espeak-ng lame

migrate: install
	@echo "== 迁移数据库 (migrating the database) =="
	$(PY) manage.py migrate --noinput -v0

demo: migrate
	@echo "== 演示数据 (demo data) =="
	$(PY) manage.py seed_demo

# The task worker (django-tasks' database backend, no extra server) runs beside the web server.
run: install fonts demo
	@$(PY) manage.py demo_urls --host $(HOST) --port $(PORT)
	@$(PY) manage.py db_worker --no-reload -v 0 & worker=$$!; \
	trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install system-deps
	$(PY) -m pytest -n 2 -q
	@if [ "$$CI" = "true" ]; then \
		echo "== PostgreSQL =="; \
		DATABASE_URL=$${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/minping} $(PY) -m pytest -n 2 -q; \
	fi

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check-deploy: install
	DEBUG=0 SECRET_KEY=$$(head -c 48 /dev/urandom | base64) IP_HASH_SALT=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=minping.example.org \
	SITE_URL=https://minping.example.org $(PY) manage.py check --deploy --fail-level WARNING

# Regenerate the English catalogue after changing marked strings, translate, then compile.
messages: install
	@bash scripts/ensure_debian_packages.sh gettext
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=tests --ignore=bench --ignore=staticfiles
	$(PY) manage.py compilemessages --ignore=.venv

bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
