# Two commands do all set-up on a fresh Debian machine with Python 3.11:
#   make site   build site/ (pages, PDFs, open data, search) from plans/
#   make test   run the tests
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3

.PHONY: site test check serve fuzz bench clean system-deps constraints

# Installs the tested set: constraints.txt pins every package (CI installs the same).
$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e ".[test]"
	touch $@

system-deps: $(VENV)/.installed
	PYTHON=$(PY) ./scripts/system-deps.sh

# After changing pyproject.toml's dependencies: the newest versions it allows, then `make test`.
constraints: $(VENV)/.installed
	$(PY) -m pip install -q --upgrade -e ".[test]"
	{ grep '^#' constraints.txt; $(PY) -m pip freeze --exclude-editable; } > constraints.txt.new
	mv constraints.txt.new constraints.txt

site: $(VENV)/.installed system-deps
	$(PY) build_site.py build

check: $(VENV)/.installed
	$(PY) build_site.py check plans

serve: $(VENV)/.installed
	$(PY) build_site.py serve

test: $(VENV)/.installed system-deps
	$(PY) -m pytest -q

fuzz: $(VENV)/.installed
	$(PY) -m pytest -q -m fuzz --hypothesis-profile=explore tests/test_fuzz.py

clean:
	rm -rf site .cache
