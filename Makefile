# One entry point for set-up, the demo, every test and the benchmarks.
# Every target creates the virtual environment it needs, so a clean machine
# needs nothing but Python 3.11, make and the Debian packages .ci/run installs.

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
# ansible-test insists on running from inside ansible_collections/<ns>/<name>.
COLLECTION := $(CURDIR)/.build/ansible_collections/asp/enterprise_wifi
export PATH := $(BIN):$(PATH)
export ANSIBLE_COLLECTIONS_PATH := $(CURDIR)/.build
# The Python ansible-test runs the collection's tests with.
TEST_PYTHON := 3.11
export COLLECTION
# Test runs leave no caches or bytecode in the working tree.
export PYTEST_ADDOPTS ?= -p no:cacheprovider
export PYTHONDONTWRITEBYTECODE := 1
# Every suite leaves its JUnit reports here; make test adds them up at the end.
export JUNIT_DIR := $(CURDIR)/.build/junit

.PHONY: venv collection ansible-test-pip demo test test-emulator test-unit test-sanity \
	test-integration bench clean importer-venv test-ecosystem docs test-e2e test-molecule

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt emulator/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# A copy, not a symlink: ansible-test resolves links and then refuses the path.
collection: venv
	@$(BIN)/python hack/sync-collection.py $(COLLECTION)

# ansible-test downloads get-pip for every virtual environment it makes; put our
# offline bootstrap in its cache first.
ansible-test-pip: venv
	@$(BIN)/python hack/install-pip-bootstrap.py $(TEST_PYTHON)

# Every suite, in order; the first failure stops the run and says which.
TEST_SUITES := test-emulator test-unit test-sanity test-integration test-ecosystem test-e2e \
	test-molecule test-chaos test-bad-input test-secrets

test:
	@MAKE="$(MAKE)" hack/run-suites $(TEST_SUITES)

test-unit: collection ansible-test-pip
	@hack/ansible-test units --python $(TEST_PYTHON) --venv

test-sanity: collection ansible-test-pip
	@hack/ansible-test sanity --python $(TEST_PYTHON) --venv --junit

test-integration: collection ansible-test-pip
	@hack/with-emulator --integration-config $(COLLECTION)/tests/integration/integration_config.yml \
		-- hack/ansible-test integration --python $(TEST_PYTHON) --venv

# The rollout against the emulator and a real FreeRADIUS (Debian packages freeradius, eapoltest).
test-e2e: venv
	@hack/run-pytest test-e2e -q tests/e2e

# Runs from the repository, which holds extensions/molecule, against the role in the copy.
test-molecule: collection
	@molecule test -s default

# Rollouts under each fault profile, checked against the rollout invariants. CI rolls out
# CHAOS_SIZE properties per profile; the full run is: make test-chaos CHAOS_SIZE=20.
# CHAOS_SEED replays a failure (both are printed with each profile).
CHAOS_SIZE ?= 3
CHAOS_SEED ?= 4242
CHAOS_WORKERS ?= 2
.PHONY: test-chaos test-bad-input test-secrets
test-chaos: collection
	@CHAOS_SIZE=$(CHAOS_SIZE) CHAOS_SEED=$(CHAOS_SEED) hack/run-pytest test-chaos -q \
		-n $(CHAOS_WORKERS) tests/chaos

# Every bad input ends in a clear failure, without a traceback, with nothing changed.
test-bad-input: collection
	@hack/run-pytest test-bad-input -q -n 2 tests/bad_input

# No secret in -vvvv output, logs or recorded results; TLS verified; file modes.
test-secrets: collection
	@hack/run-pytest test-secrets -q tests/secrets

# The rollout on this machine against the emulator, shown and then cleaned up.
demo: venv
	@$(BIN)/python hack/demo

test-emulator: venv
	@hack/run-pytest test-emulator -q emulator/tests

# The emulator's schemathesis run with many more examples than make test-emulator gives it.
FUZZ_EXAMPLES ?= 200
.PHONY: test-emulator-fuzz bench-emulator
test-emulator-fuzz: venv
	@ASP_EMULATOR_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) hack/run-pytest test-emulator-fuzz -q \
		emulator/tests/test_openapi_fuzz.py

# GET and create throughput of the emulator; writes bench/results/emulator-throughput.md.
bench-emulator: venv
	$(BIN)/python bench/emulator_throughput.py $(BENCH_EMULATOR_ARGS)

# Measures, never tests, so it is not part of `make test`. Results land in bench/results/.
# For example: make bench BENCH_ARGS="--sizes 10,100 --forks 5"
BENCH_ARGS ?=
bench: venv
	$(BIN)/python bench/run_bench.py $(BENCH_ARGS)

# galaxy-importer pins attrs<24, which the shared environment cannot hold, so it
# gets a virtual environment of its own.
IMPORTER_VENV := .build/importer-venv

importer-venv: $(IMPORTER_VENV)/.installed

$(IMPORTER_VENV)/.installed: tests/ecosystem/importer-requirements.txt
	$(PYTHON) -m venv $(IMPORTER_VENV)
	$(IMPORTER_VENV)/bin/pip install --quiet --upgrade pip
	$(IMPORTER_VENV)/bin/pip install --quiet -r tests/ecosystem/importer-requirements.txt
	touch $@

# Galaxy build and import, execution environment, AWX credential type and
# ansible-runner, changelog, docs and ansible-lint. Two workers: the slow tests
# are separate tool runs that do not share state.
test-ecosystem: venv importer-venv
	@hack/run-pytest test-ecosystem -q -n 2 tests/ecosystem

# The docs site, built offline from the collection copy; open .build/docs/build/html/index.html.
docs: collection
	@hack/build-docs $(CURDIR)/.build/docs

clean:
	rm -rf .build $(VENV)
