# The two commands: `make run` and `make test`. Both set up what they need.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run run-fleet test check bench mutation system venv clean image image-test

$(STAMP): pyproject.toml
	bash scripts/ensure-system.sh
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev,fleet]'
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	bash scripts/run-demo.sh

# A live fleet: a broker (the local mosquitto if one answers on 1883, else its own), the
# dashboard on SQLite with a week of demo sales, and three simulated kiosks selling:
# open http://127.0.0.1:8080/ (demo / demo-pos). Ctrl-C stops it all. BROKER=HOST:PORT
# picks the broker.
run-fleet: $(STAMP)
	PYTHONPATH=$(CURDIR) $(PY) scripts/run_fleet_demo.py $(if $(BROKER),--broker $(BROKER))

test: $(STAMP)
	bash scripts/run-tests.sh

check: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	bash scripts/run-tests.sh

bench: $(STAMP)
	$(PY) -m bench

# The SD-card image on Debian arm64 (not part of `make test`; root, 20-40 min under
# emulation); `make image-test` boots it under qemu and checks it. See image-build/README.md.
image:
	bash image-build/debian/build-image.sh

image-test:
	test -e $${IMAGE_DIR:-var/image}/kiosk-arm64.img || bash image-build/debian/build-image.sh
	bash image-build/debian/test-image.sh

# Not part of `make test`: an hour or more. See docs/mutation.md.
mutation: $(STAMP)
	VENV=$(VENV) bash scripts/mutation.sh

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
