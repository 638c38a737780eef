# polygrad developer tasks. Needs only GNU make and CPython >= 3.10 (3.11 preferred).
# Everything else goes into $(VENV) on first use; it is rebuilt when
# pyproject.toml, setup.py or constraints.txt change.

PYTHON ?= $(shell command -v python3.11 >/dev/null 2>&1 && echo python3.11 || echo python3)
VENV = .venv
BIN = $(VENV)/bin
PY = $(BIN)/python
STAMP = $(VENV)/.installed
EXTRAS = dev,torch,jax,dask
# Only the test folders that exist (git does not keep empty folders).
TEST_DIRS = $(wildcard tests conformance)

.DEFAULT_GOAL := help
.PHONY: help install demo test docs conformance bench bench-quick fuzz lint format clean distclean

help:
	@echo "make demo         set up $(VENV) if needed, then run the autograd tour (examples/tour.py)"
	@echo "make test         set up $(VENV) if needed, lint (ruff check, ruff format --check, mypy), run every test (pytest -n 2)"
	@echo "make docs         regenerate docs/api.md from the docstrings (tests check it is current)"
	@echo "make conformance  cross-backend conformance matrix -> conformance/report.md, op_db names -> conformance/torch_names.md"
	@echo "make bench        benchmarks against torch.autograd, HIPS autograd, JAX, pg.compile, the"
	@echo "                  digits training loop, per-op budgets, a 3 GB gradient on dask.distributed"
	@echo "                  (bench-quick: short)"
	@echo "make fuzz         long hypothesis run of tests/test_fuzz.py"
	@echo "make lint         ruff check, ruff format --check, mypy polygrad (format: apply ruff format)"
	@echo "make clean        remove build outputs and caches (distclean: also $(VENV))"

# Editable install: the default (PEP 660 "lenient") mode maps polygrad.backends
# onto backends/ and sees new files without reinstalling. Do not switch to
# editable_mode=compat (cannot express the remapping) or strict (misses new files).
$(STAMP): pyproject.toml setup.py constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install -c constraints.txt -e ".[$(EXTRAS)]"
	touch $@

install: $(STAMP)

demo: $(STAMP)
	$(PY) examples/tour.py

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy polygrad
	$(PY) -m pytest -n 2 $(TEST_DIRS)

conformance: $(STAMP)
	$(PY) -m conformance --report conformance/report.md
	$(PY) -m conformance.torch_names

docs: $(STAMP)
	$(PY) docs/gen_api.py

bench: $(STAMP)
	$(PY) -m benchmarks --write
	$(PY) -m benchmarks.training
	$(PY) -m benchmarks.budget
	$(PY) -m benchmarks.distributed

bench-quick: $(STAMP)
	$(PY) -m benchmarks --quick

fuzz: $(STAMP)
	$(PY) -m pytest tests/test_fuzz.py --hypothesis-profile=long

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy polygrad

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf build dist *.egg-info .pytest_cache .hypothesis .mypy_cache .ruff_cache
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
