# Two commands do all set-up on a fresh Debian machine with Python 3.11:
#   make site   build site/ (pages, PDFs, open data, search) from plans/
#   make test   run the tests
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3

.PHONY: site test check serve fuzz bench clean system-deps

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[test]"
	touch $@

system-deps:
	./scripts/system-deps.sh

site: system-deps $(VENV)/.installed
	$(PY) build_site.py build

check: $(VENV)/.installed
	$(PY) build_site.py check plans

serve: $(VENV)/.installed
	$(PY) build_site.py serve

test: system-deps $(VENV)/.installed
	$(PY) -m pytest -q

fuzz: $(VENV)/.installed
	$(PY) -m pytest -q -m fuzz tests/test_fuzz.py

clean:
	rm -rf site .cache
