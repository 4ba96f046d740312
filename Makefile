# The two commands of the course: `make lab` and `make test`.
# Both set up .venv (once) from requirements.txt; nothing is reinstalled while
# requirements.txt and pyproject.toml are unchanged.  `make book` adds requirements-book.txt.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTEST := $(BIN)/python -m pytest -n 2 --dist loadfile

.PHONY: setup book-setup lab lint test test-unit test-notebooks test-browser test-binder test-book book pdf student notebooks bench mutants clean

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { \
	  echo "error: '$(PYTHON) -m venv' failed. On Debian/Ubuntu: sudo apt-get install python3-venv"; \
	  rm -rf $(VENV); exit 1; }
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements.txt
	@touch $@

BOOK_STAMP := $(VENV)/.installed-book
LITE_WHEELS := build/lite-wheels
book-setup: $(BOOK_STAMP) $(LITE_WHEELS)/.downloaded

$(BOOK_STAMP): requirements-book.txt $(STAMP)
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements-book.txt
	@touch $@

# the wheels the in-browser copy bundles (book/lite-wheels.txt), fetched once by pip (from its
# cache or the registry), so that `make book` itself needs no network
$(LITE_WHEELS)/.downloaded: book/lite-wheels.txt $(STAMP)
	$(BIN)/python -m pip download --disable-pip-version-check -q --no-deps --only-binary=:all: \
	  -d $(LITE_WHEELS) -r book/lite-wheels.txt
	@touch $@

LAB_ARGS ?=
lab: setup                ## open JupyterLab on the course (as root: make lab LAB_ARGS=--allow-root)
	$(BIN)/jupyter lab $(LAB_ARGS) notebooks/00_index.ipynb

lint: setup               ## ruff over the package, the tests, the tools and the notebooks
	$(BIN)/ruff check cnnlib tests tools notebooks

test: setup lint          ## ruff, then unit tests + every notebook re-executed (strict nbval)
	$(PYTEST)

test-unit: setup
	$(PYTEST) tests

test-notebooks: setup
	$(PYTEST) notebooks

test-browser: setup       ## the explorers in JupyterLab in a real browser (needs chromium)
	$(BIN)/python -m pytest -m browser -p no:xdist tests/browser

test-binder: setup        ## binder/ installs from scratch as repo2docker would use it
	$(BIN)/python -m pytest -m binder -p no:xdist tests/test_binder.py

test-book: book-setup     ## build the website (and its PDF) into a temp dir, read them in headless chromium
	$(BIN)/python -m pytest -m book -p no:xdist tests/book

PYODIDE ?=
book: book-setup          ## the course as a website in build/book/ (pages + in-browser JupyterLite)
	$(BIN)/python tools/build_book.py build/book $(if $(PYODIDE),--pyodide $(PYODIDE))

pdf: book                 ## the whole course as one PDF, build/course.pdf (chromium prints the site)
	$(BIN)/python tools/print_book.py build/book build/course.pdf

student: setup            ## the notebooks without their folded solutions, in build/student/ (to hand out)
	$(BIN)/python tools/student_edition.py build/student

notebooks: setup          ## re-execute every notebook in place: the only way outputs are made
	$(BIN)/python tools/execute_notebooks.py notebooks/*.ipynb

bench: setup              ## speed of cnnlib's convolution against the same-run matmul rate
	$(BIN)/python -m cnnlib.bench $(BENCH_ARGS)

mutants: setup            ## inject tools/mutants.py's mistakes into cnnlib one at a time: do the tests notice?
	$(BIN)/python tools/mutants.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build *.egg-info
