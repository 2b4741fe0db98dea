# Single entry point. `make course` builds everything a reader, learner and trainer needs;
# `make test` runs the whole test suite (building what it needs first).
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := course

VENV := .venv
PY := $(VENV)/bin/python
# nbgrader shells out to `alembic` and jupyter-book to `jupyter`: both must be found on PATH.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
BOOK_FLAGS := -n -W --keep-going
# fonts-dejavu-core: Cyrillic glyphs embedded in the PDFs; poppler-utils: the PDF tests read them.
SYSTEM_PACKAGES := chromium bubblewrap postgresql fonts-dejavu-core poppler-utils

.PHONY: course venv assets data release book pdf site-zip serve test test-fast lint system-deps clean lock

course: venv assets release book site-zip ## Build the course: site in _build/html, student exercises in course/release

venv: $(VENV)/.installed
$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

assets: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

data: venv ## Re-derive every CSV in datasets/ from datasets/raw/ (byte-identical when nothing changed)
	$(PY) datasets/build.py

release: venv ## Student versions of the exercises, English (course/) and Russian (course/ru/)
	$(PY) -m grader release --course course --lang en
	$(PY) -m grader release --course course/ru --lang ru

# English at _build/html/ (executes the notebooks into _build/.jupyter_cache), then the message
# templates (_build/gettext/*.pot) and the Russian edition (_build/html/ru/) from that same cache.
book: venv assets release
	COURSE_REQUIRE_DOWNLOADS=1 $(VENV)/bin/jupyter-book build . $(BOOK_FLAGS)
	COURSE_REQUIRE_DOWNLOADS=1 $(PY) _ext/build_editions.py gettext
	COURSE_REQUIRE_DOWNLOADS=1 $(PY) _ext/build_editions.py ru

# Not part of `course`: printing ~45 pages twice takes 3-4 minutes on two cores. `make test` builds it.
pdf: venv ## The printable course, one PDF per language: _build/pdf/course-en.pdf, course-ru.pdf (copied into the site, linked from every page)
	$(PY) -m coursebook.pdf --site _build/html --out-dir _build/pdf
	$(PY) -m coursebook.offline  # the site archive now carries the PDFs too

# Both editions, the exercises' zips and (once `make pdf` ran) the PDFs; opens from file://.
site-zip: venv ## The site as one download: _build/course-site.zip
	$(PY) -m coursebook.offline --site _build/html --out _build/course-site.zip

serve: ## View the built site at http://127.0.0.1:8000
	$(PY) -m http.server --directory _build/html --bind 127.0.0.1 8000

system-deps: ## Debian packages the tests need (browser, sandbox, database server)
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then echo "missing Debian packages:$$missing (run: sudo apt-get install$$missing)"; exit 1; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

test: course system-deps pdf ## Run the whole test suite
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest

test-fast: venv ## Tests that need neither the built site nor a browser
	$(VENV)/bin/pytest -m "not browser and not slow"

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

lock: ## Recompile requirements.txt from requirements.in
	$(PY) -m pip install --quiet -r requirements.in
	(echo "# Pinned lock compiled from requirements.in (pip freeze on Python 3.11). Regenerate: make lock"; \
	 $(PY) -m pip freeze --exclude-editable) > requirements.txt

clean:
	rm -rf _build course
