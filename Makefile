# The public interface of the project. `make serve` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1:8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: edition-add edition-remove install test-install serve dev build verify check schemas test browser lock clean urls urls-new i18n-status i18n-templates offline bench new-practice audit

install: $(VENV)/.installed

# Exact versions with hashes: requirements.lock builds the site, requirements-test.lock adds
# what the tests need. The project itself is installed editable (setuptools is in both locks).
$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

test-install: $(VENV)/.test-installed

$(VENV)/.test-installed: $(VENV)/.installed requirements-test.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-test.lock
	touch $@

# The published site exactly as built (every edition, security policy included), on $(HOST).
serve: build
	@echo "Serving site/ at http://$(HOST)/ (Ctrl+C to stop)"
	$(BIN)/python -m http.server $(lastword $(subst :, ,$(HOST))) --bind $(firstword $(subst :, ,$(HOST))) --directory site

# For authors: the English edition with live reload as you edit (no security policy, one edition).
dev: install
	$(BIN)/python -m compassion_site config
	$(BIN)/mkdocs serve --dev-addr $(HOST)

build: install
	$(BIN)/python -m compassion_site build $(BUILD_FLAGS)

verify: install
	$(BIN)/python -m compassion_site verify

check: install
	$(BIN)/python -m compassion_site check

schemas: install
	$(BIN)/python -m compassion_site schemas

# Debian's Chromium for the browser tests (no test tool may download a browser of its own),
# and poppler-utils (pdfinfo, pdftotext) to count and read the pages of printed handouts.
browser:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v pdfinfo >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing from Debian's packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# Lint and types first (seconds), then every test.
test: test-install browser lint
	$(BIN)/python -m pytest

lint: test-install
	$(BIN)/ruff check .
	$(BIN)/mypy

# Re-resolve every dependency to its newest allowed version, with hashes: the test lock first,
# then the build lock constrained by it, so both hold the same version of every shared package.
LOCK_FLAGS := --quiet --generate-hashes --no-emit-index-url --no-emit-find-links --strip-extras --allow-unsafe --build-deps-for=editable
lock: install
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile $(LOCK_FLAGS) --extra test -o requirements-test.lock pyproject.toml
	$(BIN)/pip-compile $(LOCK_FLAGS) -c requirements-test.lock -o requirements.lock pyproject.toml

clean:
	rm -rf site .site-* .site.lock .pytest_cache

# Rewrite urls.txt from a fresh build: the list of addresses that must keep working.
urls: build
	$(BIN)/python -m compassion_site urls

# A fork's first urls.txt: builds without the address check (which needs the list) and writes it.
urls-new: install
	$(BIN)/python -m compassion_site urls --new

# Add a language edition (mkdocs.<lang>.yml, a locale to translate, the language menu entry):
# make edition-add EDITION=fr (REGION=BE for a region of its own). See FORKING.md.
edition-add: install
	@test -n "$(EDITION)" || { echo "usage: make edition-add EDITION=fr [REGION=BE]"; exit 2; }
	$(BIN)/python -m compassion_site edition add $(EDITION) $(if $(REGION),--region $(REGION))

# Remove one: its files go, and every address it published redirects to the source language's page.
edition-remove: install
	@test -n "$(EDITION)" || { echo "usage: make edition-remove EDITION=es"; exit 2; }
	$(BIN)/python -m compassion_site edition remove $(EDITION)

i18n-status: install
	$(BIN)/python -m compassion_site i18n-status

# The English base files of translations/en/ (for Weblate and Crowdin), rewritten from the sources.
i18n-templates: install
	$(BIN)/python -m compassion_site i18n-templates

# A zip of the site that works from the file system (schools without reliable internet).
offline: install
	$(BIN)/python -m compassion_site offline

# Build speed and page size against stock mkdocs-material (minutes; BENCH=--quick for under one).
bench: install
	$(BIN)/python benchmarks/run.py $(BENCH)

# A practice skeleton to fill in (make check names every placeholder left): make new-practice SLUG=my-practice
new-practice: install
	@test -n "$(SLUG)" || { echo "usage: make new-practice SLUG=my-practice"; exit 2; }
	$(BIN)/python -m compassion_site new-practice $(SLUG)

# Lighthouse scores per page type (a benchmark: performance is timed). Installs audit/package.json.
audit: build browser test-install
	cd audit && npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/python audit/run.py
