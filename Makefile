# Sanad: `make run` serves the demo site, `make test` runs every test stage.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := wsgi.py

.PHONY: run check check-postgresql test test-sqlite test-postgresql test-servers test-browser translations messages bench clean system-deps lock

# The virtual environment, rebuilt when a lock file changes. --require-hashes makes pip refuse any file
# whose hash is not in the lock, and any package the lock does not pin (docs/dependencies.md).
$(BIN)/.runtime: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt
	touch $@

$(BIN)/.dev: requirements.txt requirements-dev.txt $(BIN)/.runtime
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.txt
	touch $@

# The lock files, compiled from requirements*.in by pip-tools, which lives in its own throwaway venv and
# so never enters .venv or the lock. Existing pins are kept: `make lock UPGRADE=jinja2` moves one
# package (or several, space-separated) to its newest allowed version, `make lock UPGRADE=all` every one.
LOCK_VENV ?= /tmp/sanad-lock-venv
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes \
	--allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links \
	$(if $(filter all,$(UPGRADE)),--upgrade,$(foreach name,$(UPGRADE),--upgrade-package $(name)))

$(LOCK_VENV)/bin/pip-compile:
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet --disable-pip-version-check pip-tools==7.6.2

# requirements.txt first: requirements-dev.in takes its runtime versions from it (-c requirements.txt).
lock: $(LOCK_VENV)/bin/pip-compile
	$(PIP_COMPILE) --output-file=requirements.txt requirements.in
	$(PIP_COMPILE) --output-file=requirements-dev.txt requirements-dev.in
	for f in requirements.txt requirements-dev.txt; do awk -f scripts/join-hashes.awk $$f > $$f.tmp && mv $$f.tmp $$f; done

# Compiled message catalogues (.mo) are built, never committed.
translations: $(BIN)/.runtime
	$(BIN)/pybabel compile --statistics -d translations

# Re-extract the strings after changing templates or code, then update the catalogues.
messages: $(BIN)/.runtime
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs=".* __pycache__ instance test-artifacts" -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching

run: $(BIN)/.runtime translations
	@bash scripts/system-deps.sh || echo "system-deps: the site runs; dossier PDFs need Pango and the Noto fonts"
	@mkdir -p instance
	SANAD_ENV=development $(BIN)/flask db upgrade
	SANAD_ENV=development SANAD_SITE_URL=http://127.0.0.1:$(PORT) $(BIN)/flask demo load
	SANAD_ENV=development SANAD_SITE_URL=http://127.0.0.1:$(PORT) $(BIN)/flask opendata build
	@SANAD_ENV=development $(BIN)/flask demo logins --port $(PORT)
	SANAD_ENV=development SANAD_SITE_URL=http://127.0.0.1:$(PORT) $(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --workers 1 --threads 8 --access-logfile - wsgi:app

# Browsers and fonts for the end-to-end stage come from Debian (never a tool's own download).
system-deps:
	@bash scripts/system-deps.sh

# axe-core for the accessibility checks of the browser stage: the pinned npm package (package-lock.json),
# installed from the npm registry into node_modules/, never fetched from a CDN.
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || bash scripts/system-deps.sh
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# The inner loop: ruff, then the SQLite suite without the browser and servers
# stages on pytest-xdist workers, stopping at the first failure, the last run's failures first (CI keeps no
# .pytest_cache, so no --ff there). `make test` runs every stage before a merge.
TEST_WORKERS ?= auto
FAILURES_FIRST = $(if $(filter true,$(CI)),-p no:cacheprovider,--ff)
check: $(BIN)/.dev translations
	$(BIN)/ruff check app tests bench migrations --output-format concise
	TEST_DATABASE_URL= $(BIN)/python -m pytest -q -n $(TEST_WORKERS) --maxfail=1 $(FAILURES_FIRST) -m "not browser and not servers"

# The same on a throwaway PostgreSQL cluster (the postgresql stage of `make test`, stopping at the first failure).
check-postgresql: $(BIN)/.dev translations
	@PYTEST_ADDOPTS="--maxfail=1 $(FAILURES_FIRST)" STAGES=postgresql bash scripts/test-stages.sh

test: $(BIN)/.dev translations $(AXE)
	@bash scripts/test-stages.sh

test-sqlite: $(BIN)/.dev translations
	@STAGES=sqlite bash scripts/test-stages.sh

test-postgresql: $(BIN)/.dev translations
	@STAGES=postgresql bash scripts/test-stages.sh

test-servers: $(BIN)/.dev translations
	@STAGES=servers bash scripts/test-stages.sh

test-browser: $(BIN)/.dev translations $(AXE)
	@STAGES=browser bash scripts/test-stages.sh

# The benchmarks (bench/server.py and the *_wsgi.py modules are their helpers, not benchmarks).
BENCHES := reading signing dossier soak weight growth
bench: $(BIN)/.dev translations
	@for name in $(BENCHES); do echo "== bench/$$name.py"; $(BIN)/python bench/$$name.py || exit 1; done

clean:
	rm -rf $(VENV) instance test-artifacts node_modules
