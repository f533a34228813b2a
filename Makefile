# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# crm_shared.deployables in its order (tests/unit/platform/test_service_lists.py keeps them equal).
SERVICES := gateway lead-routing opportunity approval document-versioning finance-reconciliation web
PYPROJECTS := pyproject.toml shared/pyproject.toml $(foreach s,$(SERVICES),services/$(s)/pyproject.toml)
# The web console's front-end packages from npm (services/web/package.json, pinned by its lock file);
# npm ci writes this file last, so it is older than the lock file until they are installed again.
WEB_NODE_MODULES := services/web/node_modules/.package-lock.json
# What the browser tests drive: Debian's Chromium, and a font with the Chinese glyphs.
CHROMIUM := /usr/bin/chromium
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc

.PHONY: venv web-assets browsers run test test-unit test-integration test-e2e test-scale-out protos protos-check lint-protos bench clean

$(VENV)/.installed: $(PYPROJECTS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e shared $(foreach s,$(SERVICES),-e services/$(s)) -e '.[dev]'
	touch $@

venv: $(VENV)/.installed

$(WEB_NODE_MODULES): services/web/package.json services/web/package-lock.json
	cd services/web && npm ci --no-audit --no-fund
	touch $@

## The web console's npm packages (services/web/node_modules), installed when missing or older than the lock file.
web-assets: $(WEB_NODE_MODULES)

## Headless Chromium and the WenQuanYi font for the browser tests, from Debian's packages (needs root, as in CI).
browsers:
	@if [ -x $(CHROMIUM) ] && [ -f $(CJK_FONT) ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
	  echo "The browser tests need $(CHROMIUM) and fonts-wqy-microhei; as root run:" >&2; \
	  echo "  apt-get update && apt-get install -y --no-install-recommends chromium fonts-wqy-microhei" >&2; \
	  exit 1; \
	fi; \
	apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-wqy-microhei

## Start NATS, every service and the web console locally (prints the gateway's and the console's URLs); Ctrl-C stops everything. Data stays in var/.
run: venv web-assets
	$(BIN)/python scripts/localstack.py

## The whole suite. It starts its own NATS and processes.
test: venv web-assets browsers
	$(BIN)/python -m pytest -q

test-unit: venv
	$(BIN)/python -m pytest -q tests/unit

test-integration: venv
	$(BIN)/python -m pytest -q tests/integration

test-e2e: venv web-assets browsers
	$(BIN)/python -m pytest -q tests/e2e

## Two replicas of every deployable on the machine's PostgreSQL: nothing done twice, rolling restart, failure drill.
test-scale-out: venv web-assets
	$(BIN)/python -m pytest -q tests/e2e -m scale_out

## Regenerate the Python protobuf/gRPC code into shared/src/crm.
protos: venv
	$(BIN)/python scripts/gen_protos.py

protos-check: venv
	$(BIN)/python scripts/gen_protos.py --check

lint-protos: venv
	cd protos && ../$(BIN)/buf lint

## Benchmarks: prints one line per result and writes bench-results.json.
bench: venv web-assets
	$(BIN)/python -m bench

clean:
	rm -rf var/*.db var/*.db-* var/nats
