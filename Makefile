# zhizao — the two commands a newcomer needs are `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
VENDOR := zhizao/web/static/vendor
STAMP := $(VENV)/.installed

.PHONY: demo test install assets browser office lint bench clean

demo: export ZHIZAO_HOME_REGION ?= 370200
demo: install assets  ## set up, migrate, load the demo city and serve on http://127.0.0.1:8000
	$(BIN)/zhizao db upgrade
	$(BIN)/zhizao demo
	$(BIN)/zhizao serve --host 127.0.0.1 --port 8000

test: install assets browser office  ## set up what tests need and run them (SQLite and PostgreSQL, DuckDB and PySpark)
	$(BIN)/ruff check zhizao tests benchmarks
	$(BIN)/ruff format --check zhizao tests benchmarks
	$(BIN)/mypy zhizao
	$(BIN)/pytest

install: $(STAMP)

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

assets: $(VENDOR)/.stamp

$(VENDOR)/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp node_modules/echarts/dist/echarts.min.js node_modules/htmx.org/dist/htmx.min.js \
	   node_modules/bulma/css/bulma.min.css node_modules/swagger-ui-dist/swagger-ui-bundle.js \
	   node_modules/swagger-ui-dist/swagger-ui.css $(VENDOR)/
	touch $@

browser:  ## headless Chromium for the real-browser tests (Debian packages)
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) || \
	  { echo "Chromium not installed; the browser tests will skip (and fail under CI=true)"; [ "$$CI" != true ]; }


office:  ## LibreOffice, poppler-utils and a CJK font, to prove the bulletin's 28×22 grid in a PDF (skips without them; fails under CI=true)
	@command -v soffice >/dev/null && command -v pdftotext >/dev/null && fc-list :lang=zh | grep -q . || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	   libreoffice-writer-nogui poppler-utils fonts-noto-cjk >/dev/null) || \
	  { echo "LibreOffice, poppler-utils or fonts-noto-cjk not installed; the PDF tests will skip (and fail under CI=true)"; [ "$$CI" != true ]; }

lint: install
	$(BIN)/ruff check zhizao tests benchmarks
	$(BIN)/mypy zhizao

bench: install  ## print benchmark figures, each beside its baseline (not part of the tests)
	$(BIN)/python benchmarks/evaluate_cli.py
	$(BIN)/python benchmarks/import_figures.py
	$(BIN)/python benchmarks/cultivation.py
	$(BIN)/python benchmarks/monitoring.py
	$(BIN)/python benchmarks/composite_uncertainty.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
