# Storefront's commands. `make run` serves the shop, `make test` runs every test; both set up
# what they need (.venv, dependencies, a Chromium for the browser tests) on a fresh machine.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Override to choose the interpreter for .venv, e.g. `make run PYTHON=/usr/bin/python3.13`.
PYTHON ?=

# Dependencies are locked: uv.lock pins every package, direct and transitive, of every
# dependency group, for every platform and Python the project supports, with the hash of each
# file. uv installs from it into .venv (with .venv's own Python: it never downloads one) and
# refuses a lock that no longer matches pyproject.toml: then run `make lock`. Each target
# adds the groups it needs (--inexact: `make run` does not take away what `make test` added).
UV := $(VENV)/bin/uv
UV_ENV := UV_PROJECT_ENVIRONMENT=$(VENV) UV_PYTHON_DOWNLOADS=never
SYNC := $(UV_ENV) $(UV) sync --locked --inexact --quiet --python $(PY)

.PHONY: help run serve test e2e lint format lock audit chromium redis-server java node bench wrk soak wheel-check lighthouse clean

help:
	@echo "make run     install, migrate, seed demo data, serve on http://127.0.0.1:$(PORT) with the task worker and a local Stripe"
	@echo "make serve   production: collectstatic, migrate, gunicorn on $(HOST):$(PORT) and the worker (DEBUG off)"
	@echo "make test    install dev tools and a Chromium, then run every test (unit and browser)"
	@echo "make e2e     run only the browser tests"
	@echo "make soak    3 minutes of 20 shoppers on PostgreSQL and Redis while faults hit; checks the books"
	@echo "make lint    ruff, mypy, djLint, django-upgrade and makemigrations, each as a check"
	@echo "make lighthouse  Lighthouse 12 scores (mobile and desktop) of the production server"
	@echo "make bench   benchmark the production configuration with wrk; results in docs/benchmarks.md"
	@echo "make wheel-check  build the wheel and check that no development tooling is in it"
	@echo "make format  ruff format and fix, django-upgrade (templates are left as they are)"
	@echo "make lock    update uv.lock after changing pyproject.toml (LOCK_ARGS=--upgrade: newest allowed versions)"
	@echo "make audit   known vulnerabilities in uv.lock's and package-lock.json's packages (asks PyPI and npm)"

# The virtualenv, made with PYTHON if given, else the newest Python >= 3.12 that really runs:
# python3.14/3.13/3.12 on PATH first, then pyenv's installed versions (pyenv shims answer on
# PATH even for versions that are not selected, so each candidate is actually executed).
$(PY):
	@set -e; \
	ok() { "$$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }; \
	py="$(PYTHON)"; \
	if [ -n "$$py" ] && ! ok "$$py"; then echo "PYTHON=$$py is not a working Python 3.12 or newer." >&2; exit 1; fi; \
	if [ -z "$$py" ]; then \
	  for v in 3.14 3.13 3.12; do \
	    if ok "python$$v"; then py="python$$v"; break; fi; \
	    if command -v pyenv >/dev/null 2>&1; then \
	      for p in $$(pyenv versions --bare 2>/dev/null | grep -E "^$${v//./\\.}\.[0-9]+$$" | sort -rV); do \
	        if ok "$$(pyenv root)/versions/$$p/bin/python"; then py="$$(pyenv root)/versions/$$p/bin/python"; break 2; fi; \
	      done; \
	    fi; \
	  done; \
	fi; \
	if [ -z "$$py" ]; then \
	  echo "Storefront needs Python 3.12 or newer (Django 6.1), and none was found." >&2; \
	  echo "Install one (e.g. 'apt-get install python3.12-venv', 'pyenv install 3.13', or python.org)," >&2; \
	  echo "or point at it: make $(MAKECMDGOALS) PYTHON=/path/to/python3.12" >&2; \
	  exit 1; \
	fi; \
	echo "Creating $(VENV) with $$("$$py" --version) ($$py)"; \
	"$$py" -m venv $(VENV)

# uv itself, bootstrapped with the venv's pip at the version and hashes of requirements-uv.txt.
$(UV): requirements-uv.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --only-binary :all: \
	  --requirement requirements-uv.txt
	@touch $@

# Stamp files: sync again only when the lock changes. The project is installed editable.
$(VENV)/.installed-run: uv.lock pyproject.toml | $(UV)
	$(SYNC) --no-default-groups
	@touch $@

$(VENV)/.installed-dev: uv.lock pyproject.toml | $(UV)
	$(SYNC) --no-default-groups --group dev
	@touch $@ $(VENV)/.installed-run

$(VENV)/.installed-loadtest: uv.lock pyproject.toml | $(UV)
	$(SYNC) --no-default-groups --group loadtest
	@touch $@ $(VENV)/.installed-run

# `make run` adds the debug toolbar (the `debug` group); `make serve` never installs it.
$(VENV)/.installed-debug: uv.lock pyproject.toml | $(UV)
	$(SYNC) --no-default-groups --group debug
	@touch $@ $(VENV)/.installed-run

$(VENV)/.installed-audit: uv.lock pyproject.toml | $(UV)
	$(SYNC) --no-default-groups --group audit
	@touch $@ $(VENV)/.installed-run

# Resolve pyproject.toml's dependencies and groups again into uv.lock, keeping the pins that
# still fit; a new group (or dependency) needs only this. LOCK_ARGS=--upgrade takes the newest
# versions pyproject.toml allows, uv's own included.
LOCK_ARGS ?=
lock: $(UV)
	$(UV_ENV) $(UV) lock --python $(PY) $(LOCK_ARGS)
	echo uv | $(UV_ENV) $(UV) pip compile - --quiet --universal --generate-hashes \
	  --python $(PY) --output-file requirements-uv.txt $(LOCK_ARGS)

# Card payments in development go to the local Stripe (stripe_sandbox/) on this port, which
# posts its webhooks to the shop's, signed with the secret the shop's settings expect by default.
SANDBOX_PORT ?= 12111
run: $(VENV)/.installed-debug
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@# The demo shopper is accounts/demo.py's; the test cards are the local Stripe's.
	@printf '%s\n' '' \
	  "  Storefront    http://127.0.0.1:$(PORT)/   (Ctrl+C stops the server, the worker and the local Stripe)" \
	  "  Admin         http://127.0.0.1:$(PORT)/admin/   (no account yet? $(PY) manage.py createsuperuser)" \
	  "  Demo shopper  shopper / demo-shopper-2026" \
	  "  Test card     4242 4242 4242 4242 (any name; 4000 0000 0000 0002 is declined): test mode, no money moves" \
	  ""
	@# The worker and the sandbox run beside the server; when the server stops (Ctrl+C), the
	@# trap stops them too. Links in e-mail point at this server unless SITE_URL says otherwise.
	@export SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" \
	  STRIPE_API_BASE="$${STRIPE_API_BASE:-http://127.0.0.1:$(SANDBOX_PORT)}" \
	  STRIPE_SECRET_KEY="$${STRIPE_SECRET_KEY:-sk_test_storefront_sandbox}" \
	  STRIPE_WEBHOOK_SECRET="$${STRIPE_WEBHOOK_SECRET:-whsec_storefront_sandbox}"; \
	$(PY) -m stripe_sandbox --port $(SANDBOX_PORT) --api-key "$$STRIPE_SECRET_KEY" \
	  --webhook "http://127.0.0.1:$(PORT)/payments/webhook/stripe/" \
	  --webhook-secret "$$STRIPE_WEBHOOK_SECRET" & sandbox=$$!; \
	$(PY) manage.py run_worker & worker=$$!; \
	trap 'kill $$worker $$sandbox 2>/dev/null; wait $$worker $$sandbox' EXIT; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Production: static files collected (hashed, compressed), migrations applied, then gunicorn and
# the task worker together, DEBUG off, everything else from the environment (README: Production).
# No gunicorn access log: the shop writes one line per request itself, with its request id.
HOST ?= 127.0.0.1
serve: $(VENV)/.installed-run
	@export DEBUG=false; \
	$(PY) manage.py check --deploy && \
	$(PY) manage.py collectstatic --noinput --verbosity 0 && \
	$(PY) manage.py migrate --noinput && \
	{ $(PY) manage.py run_worker --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	  $(VENV)/bin/gunicorn storefront.wsgi --bind $(HOST):$(PORT) ; }

# `$(APT_INSTALL) package` in a recipe: installs a Debian package with apt-get when we may
# (as root, or with password-less sudo), refreshing the package lists if the first try fails;
# fails, installing nothing, when there is no apt-get or no permission.
APT_INSTALL = apt_install() { \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo="sudo -n"; \
	  command -v apt-get >/dev/null 2>&1 || return 1; \
	  [ -z "$$sudo" ] || sudo -n true 2>/dev/null || return 1; \
	  echo "Installing Debian's $$1"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  $$sudo apt-get install -y -qq "$$1" >/dev/null \
	    || { $$sudo apt-get update -qq && $$sudo apt-get install -y -qq "$$1" >/dev/null; }; \
	}; apt_install

# A browser for the e2e tests: CHROMIUM_PATH if set, else Debian's chromium (installed with
# apt-get when missing and we may), else Playwright's own download.
chromium: $(VENV)/.installed-dev
	@if [ -n "$$CHROMIUM_PATH" ] || command -v chromium >/dev/null 2>&1; then exit 0; fi; \
	$(APT_INSTALL) chromium || { \
	  echo "No Debian chromium here: downloading Playwright's Chromium"; \
	  $(VENV)/bin/playwright install chromium; \
	}

# The cache-outage tests stop and start a redis-server of their own (never the machine's).
redis-server:
	@if command -v redis-server >/dev/null 2>&1; then exit 0; fi; \
	$(APT_INSTALL) redis-server || { \
	  echo "The cache-outage tests need redis-server and it cannot be installed here." >&2; \
	  echo "Install it with your package manager (apt-get install redis-server)." >&2; \
	  exit 1; \
	}

# The Nu HTML checker for storefront/tests/test_html_validity.py: npm's vnu-jar, pinned in
# package-lock.json (its postinstall script, which would download a Java, is skipped: Java
# comes from Debian, below).
node_modules/.installed: package.json package-lock.json | node
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

node:
	@if command -v npm >/dev/null 2>&1; then exit 0; fi; \
	$(APT_INSTALL) npm || { \
	  echo "make test needs npm (Node.js) for the HTML checker: install Node.js 20 or newer." >&2; \
	  exit 1; \
	}

# A Java runtime for the HTML checker: Debian's, installed with apt-get when missing and we may.
java:
	@if command -v java >/dev/null 2>&1; then exit 0; fi; \
	$(APT_INSTALL) default-jre-headless || { \
	  echo "make test needs Java 11 or newer for the HTML checker: install a JRE." >&2; \
	  exit 1; \
	}

test: chromium redis-server java node_modules/.installed
	$(PY) -m pytest

e2e: chromium
	$(PY) -m pytest e2e

# The benchmark (docs/benchmarks.md): its own databases, gunicorn on ports 8200-8201, wrk.
# Options through BENCH_ARGS, e.g. `make bench BENCH_ARGS="--rounds 5 --duration 5"`.
# The harness is loadtest/, development tooling outside the shipped package.
BENCH_ARGS ?=
bench: $(VENV)/.installed-run wrk
	$(PY) -m loadtest bench $(BENCH_ARGS)

# The soak test (not part of `make test`): the production configuration on PostgreSQL and
# Redis, 20 simulated shoppers (locust) for 3 minutes, then the books are checked
# (docs/deploy.md). Figures and locust's HTML report in .bench/soak/.
soak: $(VENV)/.installed-loadtest redis-server
	$(PY) -m loadtest soak $(SOAK_ARGS)

# The wheel holds the shop and nothing else: no load-test harness (loadtest/), no Stripe
# stand-in (stripe_sandbox/), no browser tests.
# build/ goes first: setuptools packs whatever an earlier build left in build/lib.
wheel-check: $(VENV)/.installed-run
	@set -e; rm -rf build; dir=$$(mktemp -d); trap 'rm -rf "$$dir" build' EXIT; \
	$(PY) -m pip wheel --quiet --disable-pip-version-check --no-deps \
	  --wheel-dir "$$dir" . >/dev/null; \
	$(PY) -c 'import sys, zipfile; \
	names = zipfile.ZipFile(sys.argv[1]).namelist(); \
	stray = [n for n in names if n.split("/")[0] in ("loadtest", "stripe_sandbox", "e2e")]; \
	print(f"{len(names)} files in the wheel, none from loadtest/, stripe_sandbox/ or e2e/." \
	      if not stray else "Development tooling in the wheel: " + ", ".join(stray)); \
	sys.exit(bool(stray))' "$$dir"/storefront-*.whl

# The load generator: Debian's wrk, installed with apt-get when missing and we may.
wrk:
	@if command -v wrk >/dev/null 2>&1; then exit 0; fi; \
	$(APT_INSTALL) wrk || { \
	  echo "make bench needs wrk, the HTTP load generator, and cannot install it here." >&2; \
	  echo "Install it with your package manager (apt-get install wrk, brew install wrk)" >&2; \
	  echo "or from https://github.com/wg/wrk, then run make bench again." >&2; \
	  exit 1; \
	}

# Lighthouse 12 on the production configuration (gunicorn, DEBUG off, collected static files)
# with the demo data: the home page, a product page and a blog post, mobile and desktop.
# Not part of `make test`: it takes minutes and fetches Lighthouse with npx. Scores in
# docs/lighthouse.md. Node 20 runs Lighthouse 12; 13 needs Node 22.
LIGHTHOUSE_PORT ?= 8210
lighthouse: $(VENV)/.installed-run chromium node
	$(PY) tools/lighthouse.py --port $(LIGHTHOUSE_PORT) $(LIGHTHOUSE_ARGS)

# Known vulnerabilities (README: "Dependencies"), not part of `make test`: it asks PyPI's
# advisory data about every package uv.lock pins, every group and platform included (exported
# with their hashes, audited as pinned: nothing is resolved again), and npm's about
# package-lock.json's. --strict: a package that could not be looked up fails the audit.
# Ignored: diskcache's CVE-2025-69872, which no release fixes (its values are pickles, so
# whoever can write the cache folder can run code as the shop); pagecache/backends.py keeps that
# folder the shop's alone and refuses any other.
AUDIT_IGNORE := --ignore-vuln GHSA-w8v5-vhqr-4h9v --ignore-vuln PYSEC-2026-2447
audit: $(VENV)/.installed-audit node
	@set -e; locked=$$(mktemp); trap 'rm -f "$$locked"' EXIT; \
	$(UV_ENV) $(UV) export --frozen --all-groups --no-emit-project --quiet \
	  --format requirements-txt --output-file "$$locked"; \
	$(VENV)/bin/pip-audit --requirement "$$locked" --require-hashes --disable-pip --strict \
	  --progress-spinner off $(AUDIT_IGNORE)
	npm audit --package-lock-only

# What CI checks, and .pre-commit-config.yaml before each commit, with uv.lock's versions of the
# tools: ruff, mypy on every app's models, services, signals and receivers (pyproject.toml's
# [tool.mypy]), djLint's linter on the templates, django-upgrade (the code on Django 6.1's
# idioms; its request.headers fixer is skipped: the shop reads one header from request.META on
# purpose, rather than have `headers` copy them all), and no model change without a migration.
DJANGO_UPGRADE := $(VENV)/bin/django-upgrade --target-version 6.1 --skip request_headers
lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/djlint --lint .
	git ls-files -z --cached --others --exclude-standard '*.py' | xargs -0 $(DJANGO_UPGRADE) --check
	$(PY) manage.py makemigrations --check --dry-run

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	git ls-files -z --cached --others --exclude-standard '*.py' | xargs -0 $(DJANGO_UPGRADE) --exit-zero-even-if-changed

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-results .test-db.sqlite3* staticfiles .bench \
	  node_modules .lighthouse

# The README's screenshots (docs/screenshots/): the demo shop on $(PORT), photographed by
# Chromium at 1280 and 390 px. Look at them before committing.
.PHONY: screenshots
screenshots: $(VENV)/.installed-dev chromium
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@$(PY) manage.py runserver 127.0.0.1:$(PORT) --noreload >/dev/null 2>&1 & server=$$!; \
	trap 'kill $$server 2>/dev/null; wait $$server' EXIT; \
	$(PY) docs/screenshots.py http://127.0.0.1:$(PORT)
