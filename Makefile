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

.PHONY: venv collection demo test test-emulator test-unit test-sanity test-integration \
	bench clean

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt emulator/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# A copy, not a symlink: ansible-test resolves links and then refuses the path.
collection: venv
	@mkdir -p $(COLLECTION)
	@rsync -a --delete --exclude /.build --exclude /.venv --exclude /.git \
		--exclude /tests/output --exclude __pycache__ ./ $(COLLECTION)/

test: test-emulator test-unit test-sanity test-integration
	@echo "all test suites passed"

test-emulator: venv
	$(BIN)/pytest -q emulator/tests

clean:
	rm -rf .build $(VENV)
