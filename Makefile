# Two commands set everything up: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
# Windows venvs keep their programs in Scripts\ (the build workflow runs make there too).
ifeq ($(OS),Windows_NT)
BIN := $(VENV)/Scripts
EXE := .exe
else
BIN := $(VENV)/bin
EXE :=
endif
PY := $(BIN)/python$(EXE)
STAMP := $(VENV)/.installed

# The first interpreter that is Python 3.12 or newer (PySide6 on 3.11 aborts in table views).
PYTHON ?= $(shell for c in python3.13 python3.12 python3 $$(ls -d $$(pyenv root 2>/dev/null)/versions/3.1[2-9]*/bin/python 2>/dev/null | sort -rV); do \
	  "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo "$$c"; break; }; done)

.PHONY: run test lint typecheck pytest dist icons bench screenshots clean

$(PY):
	@if [ -z "$(PYTHON)" ]; then echo "Escapement needs Python 3.12 or newer; none found (tried python3.13, python3.12, python3 and pyenv versions)." >&2; exit 1; fi
	"$(PYTHON)" -m venv $(VENV)

$(STAMP): $(PY) pyproject.toml
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# A real window needs Qt's xcb libraries: installed as root, else the exact install line.
# Then Qt's platform plugin must load, or we say which libraries are missing and stop.
run: $(STAMP)
	bash scripts/system-deps.sh run
	$(PY) scripts/check_qt_platform.py
	$(PY) main.py --sandbox

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

# Coverage of app/ and ui/ is printed; below the floor (pyproject: fail_under) the run fails.
pytest: $(STAMP)
	$(BIN)/pytest --cov --cov-report=term $(PYTEST_ARGS)

test: lint typecheck pytest

bench: $(STAMP)
	$(PY) bench/run.py --quick

# A one-folder build of the app in dist/escapement/ (build.spec); pyinstaller comes with .[dev].
dist: $(STAMP)
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN build.spec

# The app icon in every size and format the builds use, from resources/escapement.svg.
icons: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) scripts/make_icons.py

clean:
	rm -rf $(VENV) build dist .mypy_cache .pytest_cache .ruff_cache
