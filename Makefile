# GreenShelf: `make run` to try it, `make test` to test it. See README.md.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := FLASK_APP=app $(VENV)/bin/flask
ADMIN_PASSWORD ?= admin-pass-123
DEMO_PASSWORD ?= demo-pass-123
PYTEST_ARGS ?= -n auto

.PHONY: install install-py install-js build run test test-py test-js test-e2e lint lighthouse clean

install: install-py install-js

install-py: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

install-js: frontend/node_modules/.installed
frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

# the console is built again only when its sources changed (CI's second e2e run reuses it)
FRONTEND_SOURCES := $(shell find frontend/src frontend/public frontend/m -type f 2>/dev/null) \
	frontend/index.html frontend/vite.config.ts frontend/vite.precompress.ts \
	frontend/tsconfig.json frontend/package-lock.json
build: frontend/dist/.built
frontend/dist/.built: frontend/node_modules/.installed $(FRONTEND_SOURCES)
	cd frontend && npm run build
	touch $@

run: install build
	$(FLASK) gs init --admin-password '$(ADMIN_PASSWORD)'
	$(FLASK) gs demo --password '$(DEMO_PASSWORD)'
	$(FLASK) gs seed --template expiry_disposal
	@echo "Log in at http://127.0.0.1:5000 as admin / $(ADMIN_PASSWORD) (demo users: $(DEMO_PASSWORD))"
	$(FLASK) gs run

lint: install-py
	$(VENV)/bin/ruff check app form_engine flow_engine connectors engine_errors tests bench
	$(VENV)/bin/ruff format --check -q app form_engine flow_engine connectors engine_errors tests bench
	$(VENV)/bin/lint-imports

test-py: install-py
	$(PY) -m pytest $(PYTEST_ARGS)

test-js: install-js
	cd frontend && npm run test:unit

# Browser tests need Chromium at /usr/bin/chromium (`.ci/run` installs it). E2E_SPECS names
# the spec files to run (relative to frontend/), all of them when empty.
E2E_SPECS ?=
test-e2e: install build
	node frontend/scripts/first-load.mjs
	@if [ -x /usr/bin/chromium ]; then \
		cd frontend && GS_PYTHON=../$(PY) npx playwright test $(E2E_SPECS); \
	else echo "SKIPPED browser tests: /usr/bin/chromium is missing (apt-get install -y chromium)"; fi

test: lint test-py test-js test-e2e

# Lighthouse over every console and /m page of a demo instance set up as `make run` does, in a
# folder of its own; prints the table and fails below the bar (frontend/scripts/lighthouse.mjs).
LIGHTHOUSE_PORT ?= 5090
LIGHTHOUSE_DIR ?= /tmp/gs-lighthouse
lighthouse: install build
	rm -rf $(LIGHTHOUSE_DIR) && mkdir -p $(LIGHTHOUSE_DIR)
	GS_INSTANCE_PATH=$(LIGHTHOUSE_DIR) $(FLASK) gs init --admin-password '$(ADMIN_PASSWORD)'
	GS_INSTANCE_PATH=$(LIGHTHOUSE_DIR) $(FLASK) gs demo --password '$(DEMO_PASSWORD)'
	GS_INSTANCE_PATH=$(LIGHTHOUSE_DIR) $(FLASK) gs seed --template expiry_disposal
	GS_INSTANCE_PATH=$(LIGHTHOUSE_DIR) $(FLASK) gs run --port $(LIGHTHOUSE_PORT) > $(LIGHTHOUSE_DIR)/server.log 2>&1 & \
	server=$$!; trap 'kill $$server; wait $$server' EXIT; \
	for _ in $$(seq 90); do curl -sf http://127.0.0.1:$(LIGHTHOUSE_PORT)/api/v1/health > /dev/null && break; sleep 1; done; \
	cd frontend && GS_LIGHTHOUSE_URL=http://127.0.0.1:$(LIGHTHOUSE_PORT) \
		GS_LIGHTHOUSE_PASSWORD='$(ADMIN_PASSWORD)' node scripts/lighthouse.mjs

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist instance
