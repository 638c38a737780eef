# polygrad developer tasks. Needs only GNU make and CPython >= 3.10 (3.11 preferred).
# Everything else goes into $(VENV) on first use; it is rebuilt when
# pyproject.toml, setup.py or constraints.txt change.

PYTHON ?= $(shell command -v python3.11 >/dev/null 2>&1 && echo python3.11 || echo python3)
VENV = .venv
BIN = $(VENV)/bin
PY = $(BIN)/python
STAMP = $(VENV)/.installed
EXTRAS = dev,torch,jax,dask
# The modules that have a stub (tools/gen_stubs.py): `mypy polygrad` reads the stub in
# their place, so their code is checked by naming the files (the fourth stubbed module,
# _spellings/torch_api/_inplace.py, holds an empty class).
STUBBED = polygrad/__init__.py polygrad/fft.py polygrad/linalg.py
# Only the test folders that exist (git does not keep empty folders).
TEST_DIRS = $(wildcard tests conformance)

.DEFAULT_GOAL := help
.PHONY: help install demo test docs stubs conformance array-api-tests bench bench-quick fuzz lint format clean distclean

help:
	@echo "make demo         set up $(VENV) if needed, then run the autograd tour (examples/tour.py)"
	@echo "make test         set up $(VENV) if needed, lint (ruff check, ruff format --check, mypy), run every test (pytest -n 2)"
	@echo "make docs         regenerate docs/api.md from the docstrings (tests check it is current)"
	@echo "make stubs        regenerate the type stubs (polygrad/*.pyi) of the names made at import"
	@echo "make conformance  cross-backend conformance matrix -> conformance/report.md, op_db names -> conformance/torch_names.md"
	@echo "make array-api-tests  the official array-API suite on x.__array_namespace__() (see conformance/README.md)"
	@echo "make bench        benchmarks against torch.autograd, HIPS autograd, JAX, pg.compile, the"
	@echo "                  digits training loop, per-op budgets, a 3 GB gradient on dask.distributed"
	@echo "                  (bench-quick: short)"
	@echo "make fuzz         long hypothesis run of tests/test_fuzz.py"
	@echo "make lint         ruff check, ruff format --check, mypy (format: apply ruff format)"
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
	$(BIN)/mypy $(STUBBED)
	$(PY) -m pytest -n 2 $(TEST_DIRS)

conformance: $(STAMP)
	$(PY) -m conformance --report conformance/report.md
	$(PY) -m conformance.torch_names

docs: $(STAMP)
	$(PY) docs/gen_api.py

stubs: $(STAMP)
	$(PY) tools/gen_stubs.py

# The official array-API suite (data-apis/array-api-tests) is not on the package
# registries: it is checked out at the commits below into $(ARRAY_API_TESTS), a
# git-ignored folder, and never committed. Not part of `make test` (minutes of CPU).
# Hypothesis' 800 ms deadline is off: on a loaded machine it fails tests by timing alone.
ARRAY_API_TESTS ?= .array-api-tests
ARRAY_API_TESTS_COMMIT = 55fcc60179efa2680ddd6cd926ddf17b83530e2b
ARRAY_API_SPEC_COMMIT = 5f847a3858875c682ae901aa22b0413bf24be9da
ARRAY_API_BACKEND ?= numpy
ARRAY_API_MAX_EXAMPLES ?= 50
# Options for pytest after the suite's own, e.g. ARRAY_API_PYTEST="-k vecdot -x".
ARRAY_API_PYTEST ?=
ARRAY_API_XFAILS = $(CURDIR)/conformance/array_api_xfails/$(ARRAY_API_BACKEND).txt
# torch has uint16/uint32/uint64 only as storage types, without arithmetic, comparison or
# reduction kernels (pytorch/pytorch#58734): the suite leaves those dtypes out there.
ARRAY_API_SKIP_DTYPES_torch = uint16,uint32,uint64

array-api-tests: $(STAMP)
	@test -f $(ARRAY_API_TESTS)/array_api_tests/__init__.py -a -d $(ARRAY_API_TESTS)/array-api/spec || { \
	  echo "The array-API suite is missing from $(ARRAY_API_TESTS) (set ARRAY_API_TESTS=folder to use another)."; \
	  echo "Check out data-apis/array-api-tests at $(ARRAY_API_TESTS_COMMIT) there, and its"; \
	  echo "array-api submodule (data-apis/array-api) at $(ARRAY_API_SPEC_COMMIT) in $(ARRAY_API_TESTS)/array-api:"; \
	  echo "  git clone https://github.com/data-apis/array-api-tests $(ARRAY_API_TESTS)"; \
	  echo "  git -C $(ARRAY_API_TESTS) checkout $(ARRAY_API_TESTS_COMMIT)"; \
	  echo "  git -C $(ARRAY_API_TESTS) submodule update --init"; \
	  exit 1; }
	$(PY) -m pip install --quiet -c constraints.txt -r $(ARRAY_API_TESTS)/requirements.txt
	cd $(ARRAY_API_TESTS) && POLYGRAD_BACKEND=$(ARRAY_API_BACKEND) \
	  ARRAY_API_TESTS_SKIP_DTYPES=$(ARRAY_API_SKIP_DTYPES_$(ARRAY_API_BACKEND)) \
	  ARRAY_API_TESTS_MODULE="exec('import polygrad; xp = polygrad.zeros(()).__array_namespace__()')" \
	  $(abspath $(PY)) -m pytest -p no:cacheprovider -n 0 array_api_tests \
	  --max-examples=$(ARRAY_API_MAX_EXAMPLES) --disable-deadline \
	  --xfails-file=$(ARRAY_API_XFAILS) $(ARRAY_API_PYTEST)

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
	$(BIN)/mypy $(STUBBED)

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf build dist *.egg-info .pytest_cache .hypothesis .mypy_cache .ruff_cache
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
