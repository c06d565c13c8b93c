# The commands people type. Everything installs into .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
SMTP_PORT ?= 2525

.PHONY: run test vendor screenshots chromium lint audit format worker bench check-deploy clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

## run: the portal on the embedded default (SQLite, in-process tasks, e-mails in var/mail/, replies by SMTP on SMTP_PORT)
run: export DJANGO_SETTINGS_MODULE = portal.settings.dev
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: export INBOUND_SMTP_HOST = $(HOST)
run: export INBOUND_SMTP_PORT = $(SMTP_PORT)
run: $(VENV)/.runtime vendor
	mkdir -p var/mail
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  Portal:      http://$(HOST):$(PORT)/"
	@echo "  Dev outbox:  http://$(HOST):$(PORT)/dev/outbox/"
	@echo "  Replies:     SMTP on $(HOST):$(SMTP_PORT) (answer a ticket e-mail from the dev outbox)"
	@echo "  Demo logins (password for all three: correct-horse-battery-staple):"
	@echo "    customer@demo.vault.example, agent@demo.vault.example, supervisor@demo.vault.example"
	@echo ""
	$(BIN)/python manage.py inbound_smtp --host $(HOST) --port $(SMTP_PORT) & smtp=$$!; \
	trap 'kill $$smtp 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The pinned npm packages: the browser code of the sign-in pages and axe-core for tests/e2e.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# The pages' own browser code, served from our origin (no CDN, no bundler): the plain-script
# builds of hash-wasm (Argon2id, HMAC-SHA256) and zxcvbn-ts, copied from node_modules.
VENDOR_FILES := \
	node_modules/hash-wasm/dist/index.umd.min.js=hash-wasm.umd.min.js \
	node_modules/@zxcvbn-ts/core/dist/zxcvbn-ts.js=zxcvbn-ts-core.js \
	node_modules/@zxcvbn-ts/language-common/dist/zxcvbn-ts.js=zxcvbn-ts-language-common.js \
	node_modules/@zxcvbn-ts/language-en/dist/zxcvbn-ts.js=zxcvbn-ts-language-en.js

static/vendor/.copied: node_modules/.installed
	mkdir -p static/vendor
	@for pair in $(VENDOR_FILES); do cp "$${pair%%=*}" "static/vendor/$${pair#*=}"; done
	touch $@

## vendor: copy the pinned browser libraries into static/vendor/ (git-ignored)
vendor: static/vendor/.copied

## chromium: install Debian's Chromium (driven by Playwright in tests/e2e) when it is missing
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "Installing Debian's chromium for the browser tests"; \
		SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO="sudo"; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi
	@test -x /usr/bin/chromium || { echo "/usr/bin/chromium is missing: apt-get install -y chromium" >&2; exit 1; }

## test: the whole suite, browser tests included (embedded default, or PostgreSQL/Redis/real worker when their URLs are set)
test: $(VENV)/.dev vendor chromium
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## screenshots: run the browser journeys and save every page at 1280 and 375 px into docs/screenshots/
screenshots: $(VENV)/.dev vendor chromium
	rm -f docs/screenshots/*.png
	SCREENSHOTS=1 SCREENSHOTS_DIR=$(CURDIR)/docs/screenshots $(BIN)/python -m pytest -m e2e tests/e2e $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .

## audit: known vulnerabilities in the pinned runtime dependencies (PyPI advisory data)
audit: $(VENV)/.dev
	$(BIN)/pip-audit --requirement requirements.txt --progress-spinner off

format: $(VENV)/.dev
	$(BIN)/ruff format .

## worker: a Celery worker and beat against $$CELERY_BROKER_URL
worker: $(VENV)/.runtime
	$(BIN)/celery -A portal worker -B -l INFO

check-deploy: $(VENV)/.runtime
	DJANGO_SETTINGS_MODULE=portal.settings.production SECRET_KEY=ci-dummy-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
	ALLOWED_HOSTS=vault.example DATABASE_URL=sqlite:////tmp/check-deploy.sqlite3 SITE_URL=https://vault.example \
	REDIS_URL=redis://127.0.0.1:6379/0 EMAIL_URL=smtp://mail.vault.example:587 \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

$(VENV)/.bench: requirements-bench.txt requirements-dev.txt requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements-bench.txt
	touch $@ $(VENV)/.dev $(VENV)/.runtime

## bench: the benchmarks in bench/ against the production shape (needs PostgreSQL and Redis)
bench: $(VENV)/.bench
	$(BIN)/python -m bench.run
	psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS bench_reset WITH (FORCE)"
	psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE bench_reset"
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_reset $(BIN)/python bench/reset_completion.py \
		--sizes 1000 10000 100000 1000000
	$(BIN)/python bench/support_lookup.py --accounts 1000000 --lookups 2000

clean:
	rm -rf $(VENV) var/db.sqlite3 var/mail staticfiles node_modules static/vendor
