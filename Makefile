# banmian — thin Makefile: it sets up the machine and calls the CLI.
#   make          set up .venv and system packages, then build every edition under content/
#   make test     run the test suite (EPUBCheck, poppler and qpdf included)
#   make lint     ruff + mypy
#   make bench    time banmian against Pandoc and bare WeasyPrint (docs/benchmarks.md)
#   make screenshots  the EPUB in headless Chromium, light and dark, into docs/screenshots/
#   make fuzz     fuzz the loader, the Markdown parser and the importer (FUZZ_MINUTES=10)
#   make fonts    remake the faces in fonts/build/ from Debian's font packages (make does it once)
#   make clean    remove out/ and caches

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SYSDEP := $(VENV)/.system-packages
APT    := DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends

EDITION_DIRS := $(patsubst %/edition.toml,%,$(wildcard content/*/edition.toml))
IDS          := $(notdir $(EDITION_DIRS))
EPUBS        := $(IDS:%=out/%.epub)
FONTS        := fonts/build/.made
CODE         := $(shell find src/banmian styles fonts -path fonts/build -prune -o -type f -not -name '*.pyc' -print 2>/dev/null)

.PHONY: all build test lint fonts clean check bench screenshots fuzz
.SECONDEXPANSION:

all: build

# One broken edition stops none of the others: each edition's recipe records a failure in
# out/.failed/<id> instead of failing, and `build` reports every failed edition at the end
# and exits non-zero (also under make -j).
build: $(EPUBS)
	@failed=""; for id in $(IDS); do test -e out/.failed/$$id && failed="$$failed content/$$id"; \
	  done; if [ -n "$$failed" ]; then echo "make: failed editions:$$failed" >&2; exit 1; fi

# Lint an edition, then build both of its outputs in one CLI call (the build writes
# atomically); editions whose content and banmian are unchanged are not touched.
out/%.epub out/%.pdf &: $$(wildcard content/%/*) $(CODE) $(STAMP) $(FONTS)
	@rm -f out/.failed/$*
	$(BIN)/banmian lint content/$* && $(BIN)/banmian build content/$* -o out || \
	  { mkdir -p out/.failed && touch out/.failed/$* && echo "make: content/$* failed" >&2; }

$(STAMP): pyproject.toml $(SYSDEP)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

# System packages: HarfBuzz's subsetter (WeasyPrint subsets CJK fonts ~6x faster with it),
# poppler (pdffonts, pdftotext, pdftoppm), MuPDF and Ghostscript (banmian check renders each
# PDF page in all three and reads the press PDF's separations; Ghostscript's libgs-common also
# holds the CMYK profile of the press PDF's output intent), qpdf, Java for EPUBCheck (the JDK: banmian compiles a small driver
# that checks many EPUBs in one JVM; a plain JRE works, one JVM per EPUB), and the font
# packages the faces are made from (fonts/README.md), and Chromium (the EPUB reflow test,
# tests/backends/epub/test_reflow.py, drives it through Playwright; DAISY Ace uses it too).
$(SYSDEP):
	@missing=""; \
	dpkg -s libharfbuzz-subset0 >/dev/null 2>&1 || missing="$$missing libharfbuzz-subset0"; \
	command -v hb-subset >/dev/null || missing="$$missing libharfbuzz-bin"; \
	command -v pdffonts >/dev/null || missing="$$missing poppler-utils"; \
	command -v qpdf >/dev/null || missing="$$missing qpdf"; \
	command -v javac >/dev/null || missing="$$missing default-jdk-headless"; \
	command -v mutool >/dev/null || missing="$$missing mupdf-tools"; \
	command -v gs >/dev/null || missing="$$missing ghostscript"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	for p in fonts-noto-cjk fonts-lxgw-wenkai fonts-hanazono; do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  apt-get update -q >/dev/null && $(APT) $$missing; \
	fi
	mkdir -p $(VENV) && touch $@

# The faces: whole fonts made from Debian's packages (banmian.fonts.make), never tracked.
$(FONTS): $(STAMP) src/banmian/data/faces.toml src/banmian/fonts/make.py fonts/manifest.toml
	$(BIN)/python -m banmian.fonts.make
	touch $@

test: $(STAMP) $(FONTS)
	$(BIN)/python -m pytest

# What the reflow test sees: the sample's lead article at 390, 600 and 1072 px, light and dark.
screenshots: $(STAMP) $(FONTS)
	rm -f docs/screenshots/*.png
	BANMIAN_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -q -p no:cacheprovider \
	  tests/backends/epub/test_reflow.py -k reflow_in_chromium

lint: $(STAMP)
	$(BIN)/ruff check src tests tools
	$(BIN)/mypy

check: build
	$(BIN)/banmian check $(EPUBS) $(EPUBS:.epub=.pdf)
	@command -v chromium >/dev/null || (apt-get update -q >/dev/null && $(APT) chromium)
	@test -x .cache/ace/node_modules/.bin/ace-puppeteer || (mkdir -p .cache/ace && cd .cache/ace && \
	  PUPPETEER_SKIP_DOWNLOAD=1 npm install -q --no-audit --no-fund --ignore-scripts @daisy/ace)
	PUPPETEER_EXECUTABLE_PATH=$$(command -v chromium) $(BIN)/python -m banmian.verify.ace $(EPUBS)

bench: build $(FONTS)
	@command -v pandoc >/dev/null || (apt-get update -q >/dev/null && $(APT) pandoc)
	$(BIN)/python tools/bench.py

# Fuzz the edition loader, the Markdown module parser and the importer (tests/test_fuzz.py;
# make test runs a few dozen inputs each): any exit 3 or traceback stops it.
FUZZ_MINUTES ?= 10
fuzz: $(STAMP) $(FONTS)
	$(BIN)/python tools/fuzz.py --minutes $(FUZZ_MINUTES)

fonts: $(STAMP)
	rm -f $(FONTS)
	$(MAKE) $(FONTS)

clean:
	rm -rf out .cache .pytest_cache .mypy_cache .ruff_cache
