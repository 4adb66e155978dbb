# Trinity Career Institute: `make run` serves the demo site, `make test` checks everything.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# The installer is pinned, and every package installs from a wheel: nothing is built on install.
PIP_VERSION := 26.3
PIP := $(VENV)/bin/pip --disable-pip-version-check
PIP_INSTALL := $(PIP) install -q --only-binary=:all:
DEV := DJANGO_DEBUG=1

.PHONY: run test lint fmt install install-dev messages gettext wheels chromium html-checker demo-passwords serve worker bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --disable-pip-version-check --only-binary=:all: pip==$(PIP_VERSION)

$(VENV)/.runtime: requirements.txt | $(PY)
	$(PIP_INSTALL) -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(PY)
	$(PIP_INSTALL) -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

# Installing also builds the stylesheet bundles (assets/ -> build/static/, libsass and
# rcssmin; first, so that the folder exists for every later command) and compiles the
# interface's translations (locale/*.po -> .mo, pure Python).
install: $(VENV)/.runtime
	@$(DEV) $(PY) manage.py build_css -v0
	@$(DEV) $(PY) manage.py compile_translations -v0

install-dev: $(VENV)/.dev
	@$(DEV) $(PY) manage.py build_css -v0
	@$(DEV) $(PY) manage.py compile_translations -v0

# New or changed strings in templates and code -> locale/es/LC_MESSAGES/django.po (needs GNU
# gettext's xgettext, installed from Debian when missing); translate them there, then commit.
messages: install-dev
	@$(MAKE) -s gettext
	$(DEV) $(PY) manage.py makemessages -l es --no-obsolete --no-location \
		--ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=bench --ignore=tests
	@$(DEV) $(PY) manage.py compile_translations

# Every pin installs from a wheel with the newest pip, in a new virtual environment:
# a dependency that needs a build step fails here the day it is added (.ci/run calls it).
wheels:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(PYTHON) -m venv "$$tmp/venv" && \
	"$$tmp/venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip && \
	"$$tmp/venv/bin/pip" --version && \
	"$$tmp/venv/bin/pip" install -q --disable-pip-version-check --only-binary=:all: -r requirements.txt && \
	"$$tmp/venv/bin/pip" install -q --disable-pip-version-check --only-binary=:all: -r requirements-dev.txt && \
	echo "wheels: every runtime and development pin installs from a wheel"

run: install
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py load_demo
	@echo "Serving http://127.0.0.1:8000  (Ctrl-C to stop)"
	$(DEV) $(PY) manage.py runserver 127.0.0.1:8000

demo-passwords: install
	$(DEV) $(PY) manage.py load_demo --reset-passwords

# Headless Chromium for the browser tests: Debian's package when we are root,
# Playwright's own download otherwise. Never download when /usr/bin/chromium exists.
chromium: install-dev
	@if [ -x /usr/bin/chromium ]; then \
		echo "Chromium: /usr/bin/chromium"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else \
		$(VENV)/bin/playwright install chromium; \
	fi

# The Nu Html Checker (vnu.jar from npm, run with Java) for the valid-HTML tests.
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm)
	@command -v java >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless)
	npm ci --no-audit --no-fund --loglevel=error

html-checker: node_modules/.package-lock.json

# Lighthouse (pinned in package.json) on every public page, both languages, on a phone,
# against gunicorn with production settings and the demo content. See bench/lighthouse.py.
.PHONY: lighthouse
lighthouse: install chromium bench/lighthouse/node_modules/.package-lock.json
	$(PY) bench/lighthouse.py $(LIGHTHOUSE_ARGS)

# Lighthouse has its own package (bench/lighthouse/): `make test` never installs it.
bench/lighthouse/node_modules/.package-lock.json: bench/lighthouse/package.json bench/lighthouse/package-lock.json
	@command -v npm >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm)
	cd bench/lighthouse && npm ci --no-audit --no-fund --loglevel=error

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# GNU gettext's xgettext: the test that every interface string has its Spanish runs makemessages.
gettext:
	@command -v xgettext >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext)

test: install-dev chromium html-checker gettext lint
	$(DEV) $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

# Production-like local run: DEBUG off, gunicorn, hashed static files, plain HTTP.
serve: install
	@export DJANGO_DEBUG=0 DJANGO_HTTPS=$${DJANGO_HTTPS:-0} \
		DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')}; \
	$(PY) manage.py migrate --noinput && \
	$(PY) manage.py collectstatic --noinput -v0 && \
	$(PY) manage.py compile_translations -v0 && \
	$(PY) manage.py load_demo && \
	echo "Serving http://$${GUNICORN_BIND:-127.0.0.1:8000} with production settings and an e-mail worker" && \
	{ $(PY) manage.py db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(VENV)/bin/gunicorn trainingcenter.wsgi -c gunicorn.conf.py; }

# The e-mail worker alone (production runs it as its own process; see the README).
worker: install
	$(DEV) DJANGO_TASKS_IMMEDIATE=0 $(PY) manage.py db_worker

# Scale data (bench/data/, kept between runs; BENCH_FRESH=1 rebuilds it), page timings,
# a wrk load test against gunicorn, then bench/results.md. See bench/run.py.
bench: install
	@command -v wrk >/dev/null || { [ "$$(id -u)" = "0" ] && apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	$(PY) bench/run.py $(if $(BENCH_FRESH),--fresh) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules staticfiles build .pytest_cache test-artifacts
