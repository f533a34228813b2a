# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# crm_shared.deployables in its order (tests/unit/platform/test_service_lists.py keeps them equal).
SERVICES := gateway lead-routing opportunity approval document-versioning finance-reconciliation web
PYPROJECTS := pyproject.toml shared/pyproject.toml $(foreach s,$(SERVICES),services/$(s)/pyproject.toml)

.PHONY: venv run test test-unit test-integration test-e2e test-scale-out protos protos-check lint-protos bench clean

$(VENV)/.installed: $(PYPROJECTS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e shared $(foreach s,$(SERVICES),-e services/$(s)) -e '.[dev]'
	touch $@

venv: $(VENV)/.installed

## Start NATS and every service locally; Ctrl-C stops everything. Data stays in var/.
run: venv
	$(BIN)/python scripts/localstack.py

## The whole suite. It starts its own NATS and processes.
test: venv
	$(BIN)/python -m pytest -q

test-unit: venv
	$(BIN)/python -m pytest -q tests/unit

test-integration: venv
	$(BIN)/python -m pytest -q tests/integration

test-e2e: venv
	$(BIN)/python -m pytest -q tests/e2e

## Two replicas of every deployable on the machine's PostgreSQL: nothing done twice, rolling restart, failure drill.
test-scale-out: venv
	$(BIN)/python -m pytest -q tests/e2e -m scale_out

## Regenerate the Python protobuf/gRPC code into shared/src/crm.
protos: venv
	$(BIN)/python scripts/gen_protos.py

protos-check: venv
	$(BIN)/python scripts/gen_protos.py --check

lint-protos: venv
	cd protos && ../$(BIN)/buf lint

## Benchmarks: prints one line per result and writes bench-results.json.
bench: venv
	$(BIN)/python -m bench

clean:
	rm -rf var/*.db var/*.db-* var/nats
