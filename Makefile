# The two set-up commands of the README: `make demo` and `make test`; `make check` before a commit.
VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed-stamp
PYTHON3 ?= python3

.PHONY: install demo test test-es test-quick check browser poppler oidc clean lint

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON3) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(VENV)/bin/onrustradar --config config/demo.yml demo

# Debian's chromium and chromium-driver drive the board in the browser test, with an emoji
# font so the demo's emoji render in its screenshots; installed here when missing and apt is
# at hand (CI runs as root on Debian).
BROWSER_PACKAGES := chromium chromium-driver fonts-noto-color-emoji
browser:
	@missing=""; for p in $(BROWSER_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; } || \
	  echo "not installed:$$missing (the browser test is skipped without chromium)"; fi

# Debian's poppler-utils (pdftoppm, pdftotext) render the PDF briefing to PNG and read its text
# back in the report tests; installed here when missing and apt is at hand.
poppler:
	@command -v pdftoppm >/dev/null && command -v pdftotext >/dev/null || \
	  { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; } || \
	  echo "poppler-utils not installed: the PDF rendering tests will be skipped"

# The sign-in test runs a real OpenID Connect provider (node-oidc-provider, pinned in
# tests/oidc/package-lock.json) on 127.0.0.1; installed from the npm registry when node is here.
OIDC_STAMP := tests/oidc/node_modules/.installed-stamp
$(OIDC_STAMP): tests/oidc/package.json tests/oidc/package-lock.json
	@if command -v npm >/dev/null; then \
	  cd tests/oidc && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed-stamp; \
	else echo "npm not found: the sign-in test will be skipped"; fi

oidc: $(OIDC_STAMP)

# The Elasticsearch tests need a real node: .ci/es.sh fetches the integration-test
# distribution from Maven Central and starts it on 127.0.0.1 as a non-root user. Without
# Java they are skipped with a reason; under CI=true a node that cannot start fails the run.
ES_START = url=""; \
	if command -v java >/dev/null && command -v mvn >/dev/null; then \
	  url=$$(bash .ci/es.sh start) || { if [ "$$CI" = true ]; then echo "Elasticsearch did not start" >&2; exit 1; fi; url=""; }; \
	elif [ "$$CI" = true ]; then echo "CI needs Java and Maven for the Elasticsearch node" >&2; exit 1; fi

# A worker per core, a whole test file to one worker: the module fixtures (a board server, a trained
# model) are built once, and the Elasticsearch tests keep their per-test index prefixes.
XDIST ?= -n $(shell nproc 2>/dev/null || echo 2) --dist loadfile
test: install browser poppler oidc
	@$(ES_START); rc=0; ONRUSTRADAR_TEST_ES=$$url $(PY) -m pytest -q $(XDIST) || rc=$$?; \
	if [ -n "$$url" ]; then bash .ci/es.sh stop; fi; exit $$rc

test-es: install
	@$(ES_START); [ -n "$$url" ] || { echo "no Elasticsearch node (Java and Maven needed)"; exit 1; }; rc=0; \
	ONRUSTRADAR_TEST_ES=$$url $(PY) -m pytest -q -m es || rc=$$?; bash .ci/es.sh stop; exit $$rc

# Lint and types: ruff (configured in pyproject.toml) and mypy on the layers it covers.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# The quick tier: every test not marked slow (> ~1 s), browser, es or oidc (markers in
# pyproject.toml); no Chromium, Elasticsearch or node needed.
QUICK := not slow and not browser and not es and not oidc
test-quick: install
	$(PY) -m pytest -q -m "$(QUICK)"

# Before a commit (under a minute): lint and the quick tier. Both run even when one fails, so
# one call shows everything; `make test` still runs the whole suite.
check: install
	@rc=0; $(MAKE) --no-print-directory lint || rc=1; $(MAKE) --no-print-directory test-quick || rc=1; exit $$rc

clean:
	rm -rf $(VENV) var build *.egg-info tests/oidc/node_modules
