# glimpse: one Makefile builds the library, the tests, the tutorials and the benchmarks into build/.
# `make help` lists the targets.

CXX      ?= g++
CXXSTD   := -std=c++20
WARNINGS := -Wall -Wextra
OPTIMISE := -O2 -march=native
CXXFLAGS := $(CXXSTD) $(OPTIMISE) $(WARNINGS) -fopenmp -I. -MMD -MP
LDLIBS   := -lfmt
# glimpse::debug_print is called only from gdb, so nothing would pull it out of the library:
# naming it undefined links it into every program (core/debug_print.hpp).
LDLIBS   += -Wl,--undefined=_ZN7glimpse11debug_printERKNS_6TensorE
SANITIZE := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all

BUILD     := build
LIB_SRC   := $(wildcard core/*.cpp nn/*.cpp attention/*.cpp decode/*.cpp)
TEST_SRC  := $(wildcard tests/*.cpp)
TUTORIALS := $(basename $(notdir $(wildcard tutorials/[0-9][0-9]_*.cpp)))
BENCHES   := $(basename $(notdir $(wildcard bench/*.cpp)))

LIB       := $(BUILD)/libglimpse.a
TESTS     := $(BUILD)/tests/glimpse_tests
TUT_BINS  := $(addprefix $(BUILD)/tutorials/,$(TUTORIALS))
BENCH_BINS:= $(addprefix $(BUILD)/bench/,$(BENCHES))
SAN_TESTS := $(BUILD)/sanitize/glimpse_tests
DEPS_OK   := $(BUILD)/.deps-ok
# The demo is tutorial 09, keeping its trained model in build/demo/ between runs.
DEMO      := 09_seq2seq_attention
DEMO_DIR  := $(BUILD)/demo

.PHONY: all test gradcheck tutorials run demo demo-check sanitize bench fuzz format help clean deps check data
.DEFAULT_GOAL := all

all: $(LIB) $(TESTS) $(TUT_BINS) $(BENCH_BINS)

help:
	@echo "make            build the library, tests, tutorials and benchmarks into build/"
	@echo "make demo       train the date model with attention (or load it from $(DEMO_DIR)) and"
	@echo "                translate dates; ARGS='--translate \"3rd of May 1979\"' translates yours"
	@echo "make demo-check read the README's demo examples with that model and compare the answers"
	@echo "make test       run every test, then every tutorial in --quick mode"
	@echo "make gradcheck  the gradient-check suite alone, one row per op"
	@echo "make tutorials  build the tutorials"
	@echo "make run T=01   run one tutorial (ARGS='--step' pauses between steps)"
	@echo "make sanitize   every test under AddressSanitizer + UBSan + LeakSanitizer"
	@echo "make bench      benchmarks beside PyTorch, as JSON lines"
	@echo "make data       fetch the CMU Pronouncing Dictionary (Debian's festlex-cmu) into $(BUILD)/data/"
	@echo "make fuzz       fuzz the checkpoint, TSV, vocabulary and config readers, 60 s each"
	@echo "                (FUZZ_SECONDS=..., FUZZ_TARGETS='tsv vocab')"
	@echo "make check      coursework: build your tutorials/coursework/aN_*.cpp and grade them;"
	@echo "                A=2 one assignment, SOLUTIONS=1 the instructor's solutions,"
	@echo "                WORK=dir your copy of the assignments, WRONG=1 the wrong solutions"
	@echo "make format     format the sources with clang-format"
	@echo "make debug      library, tests and tutorials at -O0 -g into $(BUILD)/debug/"
	@echo "make gdb T=05   gdb on a tutorial's debug build, stopped at main (BREAK=file:line to"
	@echo "                stop elsewhere), with the Tensor printer loaded"
	@echo "make test-gdb   the Tensor printer and debug_print checked through gdb in batch mode"
	@echo "make compile_commands.json   the compile commands for clangd and editors"
	@echo "make clean      remove build/"

# Every target that compiles first makes sure doctest and fmt are installed (.ci/apt_install
# installs them, or names the one command to run).
deps: $(DEPS_OK)
$(DEPS_OK):
	@mkdir -p $(BUILD)
	@printf '#include <doctest/doctest.h>\n#include <fmt/core.h>\n' | $(CXX) $(CXXSTD) -E -x c++ - >/dev/null 2>&1 \
	  || sh .ci/apt_install doctest-dev libfmt-dev
	@touch $@

# Tutorial 13's real data: the CMU Pronouncing Dictionary in Festival's syntax, from Debian's
# festlex-cmu, unpacked with dpkg -x (Festival itself is not installed), fetched once. The
# dictionary's licence is kept beside it. apt-get download needs the package lists: root runs
# apt-get update when they are missing; anyone else is told the one command to run.
DATA_DIR := $(BUILD)/data
CMUDICT  := $(DATA_DIR)/cmudict-0.4.out
data: $(CMUDICT)
$(CMUDICT):
	@mkdir -p $(DATA_DIR)/festlex-cmu
	@cd $(DATA_DIR)/festlex-cmu && rm -f festlex-cmu_*.deb && \
	if apt-get download -q festlex-cmu >/dev/null 2>&1 || \
	   { [ "$$(id -u)" = 0 ] && apt-get update -q && apt-get download -q festlex-cmu; }; then \
	  dpkg -x festlex-cmu_*.deb . && \
	  cp usr/share/festival/dicts/cmu/cmudict-0.4.out ../cmudict-0.4.out.tmp && \
	  cp usr/share/doc/festlex-cmu/copyright ../cmudict-0.4.copyright && \
	  mv ../cmudict-0.4.out.tmp ../cmudict-0.4.out && \
	  cd .. && rm -rf festlex-cmu && echo "glimpse: fetched $(CMUDICT) from Debian's festlex-cmu"; \
	else \
	  echo "glimpse: could not download festlex-cmu (tutorial 13's data): run  sudo apt-get update"; \
	  echo "then  make data  again"; exit 1; \
	fi

# The standard library and fmt take most of a unit's compile time when parsed in each unit: they
# are parsed once into a precompiled header (core/precompiled.hpp) that the fast build's units
# take with -include. The tests and the tutorials are compiled with -Og: their own code only calls
# the library, which keeps -O2 and does the work, and optimising it cost a third of the tests'
# compile time and a quarter of tutorial 09's (`make gdb` has its own -O0 build). Each flag set
# has its header, built with exactly those flags: GCC uses a .gch only when the flags
# agree and otherwise reads the header's text (core/gemm.o's -O3, nn/optim.o's
# -fno-math-errno). The header's flags are fixed here because the per-object flags below would be
# inherited by a header built for that object. Objects depend on their .gch, which -MMD does not
# list. The sanitizer, debug, fuzz and coursework-student builds take no precompiled header.
OG_CXXFLAGS   := $(filter-out -O%,$(CXXFLAGS)) -Og
PCH           := $(BUILD)/pch/fast/precompiled.hpp
OG_PCH        := $(BUILD)/pch/og/precompiled.hpp
PCH_FLAGS     := $(CXXFLAGS)

$(BUILD)/pch/%/precompiled.hpp: core/precompiled.hpp
	@mkdir -p $(dir $@)
	cp $< $@

$(PCH).gch: $(PCH) | $(DEPS_OK)
	$(CXX) $(PCH_FLAGS) -x c++-header $< -o $@

$(OG_PCH).gch: $(OG_PCH) | $(DEPS_OK)
	$(CXX) $(OG_CXXFLAGS) -x c++-header $< -o $@

$(BUILD)/obj/%.o: %.cpp $(PCH).gch | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) -include $(PCH) -c $< -o $@

$(BUILD)/obj/tests/%.o: tests/%.cpp $(OG_PCH).gch | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CXX) $(OG_CXXFLAGS) -include $(OG_PCH) -c $< -o $@

$(TUTORIALS:%=$(BUILD)/obj/tutorials/%.o): $(BUILD)/obj/tutorials/%.o: tutorials/%.cpp $(OG_PCH).gch | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CXX) $(OG_CXXFLAGS) -include $(OG_PCH) -c $< -o $@

$(BUILD)/sanitize/obj/%.o: %.cpp | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CXX) $(CXXSTD) $(SANITIZE) $(WARNINGS) -fopenmp -I. -MMD -MP -c $< -o $@

# GEMM's loops have lengths known only at run time; GCC vectorises them at -O3, not at -O2.
$(BUILD)/obj/core/gemm.o: CXXFLAGS += -O3
# Adam's sqrt vectorises only when it need not set errno (its argument is never negative there).
$(BUILD)/obj/nn/optim.o: CXXFLAGS += -fno-math-errno

LIB_OBJ := $(LIB_SRC:%.cpp=$(BUILD)/obj/%.o)
$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(TESTS): $(TEST_SRC:%.cpp=$(BUILD)/obj/%.o) $(LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) $^ -o $@ $(LDLIBS)

$(BUILD)/tutorials/%: $(BUILD)/obj/tutorials/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) $^ -o $@ $(LDLIBS)

# Tutorial 13 and its benchmark read the dictionary: building them fetches it.
$(BUILD)/tutorials/13_pronunciation $(BUILD)/bench/bench_g2p: | $(CMUDICT)

$(BUILD)/bench/%: $(BUILD)/obj/bench/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) $^ -o $@ $(LDLIBS)

# The programs' objects are kept: as intermediate files of the chained rules above, make would
# delete them after linking and compile them all again at the next build.
.SECONDARY: $(TUTORIALS:%=$(BUILD)/obj/tutorials/%.o) $(BENCHES:%=$(BUILD)/obj/bench/%.o)

SAN_OBJ := $(LIB_SRC:%.cpp=$(BUILD)/sanitize/obj/%.o) $(TEST_SRC:%.cpp=$(BUILD)/sanitize/obj/%.o)
$(SAN_TESTS): $(SAN_OBJ)
	@mkdir -p $(dir $@)
	$(CXX) $(CXXSTD) $(SANITIZE) -fopenmp $^ -o $@ $(LDLIBS)

# GEMM's OpenMP threads spin between the many small products of a training step; on a busy
# machine the spinning takes the cores from the thread with the work (training ran 5x slower in
# wall time on the shared development machine). Waiting passively costs little when it is idle.
# The tutorials run so unless OMP_WAIT_POLICY is set; the benchmarks keep OpenMP's default.
PASSIVE := OMP_WAIT_POLICY=$${OMP_WAIT_POLICY:-passive}

# Tests first, then every tutorial in quick mode so none can rot.
test: $(TESTS) $(TUT_BINS)
	$(TESTS)
	@for t in $(TUTORIALS); do \
	  echo "== tutorial $$t --quick"; \
	  $(PASSIVE) $(BUILD)/tutorials/$$t --quick </dev/null >$(BUILD)/tutorials/$$t.log 2>&1 \
	    && echo "   ok ($$(wc -l <$(BUILD)/tutorials/$$t.log) lines of output)" \
	    || { tail -n 30 $(BUILD)/tutorials/$$t.log; echo "tutorial $$t FAILED"; exit 1; }; \
	done

gradcheck: $(TESTS)
	GLIMPSE_GRADCHECK_TABLE=1 $(TESTS) --test-suite=gradcheck

sanitize: $(SAN_TESTS)
	ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1 $(SAN_TESTS)

tutorials: $(TUT_BINS)

run: $(TUT_BINS)
	@test -n "$(T)" || { echo "usage: make run T=01 [ARGS='--step']"; exit 1; }
	$(PASSIVE) $(BUILD)/tutorials/$(firstword $(filter $(T)_%,$(TUTORIALS))) $(ARGS)

demo: $(BUILD)/tutorials/$(DEMO)
	$(PASSIVE) $(BUILD)/tutorials/$(DEMO) --checkpoint $(DEMO_DIR) $(ARGS)

# Every example of the README's demo table, read by the model of make demo (trained first when
# build/demo/ has none or an outdated one): the quick model of make test is too weak for this.
demo-check: $(BUILD)/tutorials/$(DEMO)
	$(PASSIVE) $(BUILD)/tutorials/$(DEMO) --checkpoint $(DEMO_DIR) --check-examples README.md </dev/null

# bench_g2p measures accuracy per minute of training as tutorial 13 trains, waiting passively
# (spinning, it ran 15x fewer steps in five minutes on the shared machine).
# PyTorch's reference figures need Debian's python3-torch, libopenblas0-pthread (without it
# torch's products fall back to the reference BLAS, as no user's would), and
# python3-threadpoolctl to set OpenBLAS's threads; make bench installs them like the other
# dependencies.
BENCH_DEPS_OK  := $(BUILD)/.bench-deps-ok
BENCH_PACKAGES := python3-torch libopenblas0-pthread python3-threadpoolctl
$(BENCH_DEPS_OK):
	@mkdir -p $(BUILD)
	@{ /usr/bin/python3 -c 'import torch, threadpoolctl' && dpkg -s libopenblas0-pthread; } \
	  >/dev/null 2>&1 || sh .ci/apt_install $(BENCH_PACKAGES)
	@touch $@

bench: $(BENCH_BINS) | $(BENCH_DEPS_OK)
	@for b in $(BENCHES); do \
	  if [ $$b = bench_g2p ]; then $(PASSIVE) $(BUILD)/bench/$$b || exit 1; \
	  else $(BUILD)/bench/$$b || exit 1; fi; \
	done

# libFuzzer on the readers of files a user hands glimpse: checkpoints (safetensors), TSV corpora,
# vocabularies and config.txt (tests/fuzz_targets.hpp: bytes in, a clean Error or a round trip).
# It needs clang++ with libFuzzer's runtime (and LLVM's OpenMP, for GEMM), installed like the
# other dependencies. `make fuzz FUZZ_TARGETS=tsv FUZZ_SECONDS=600` runs one for ten minutes.
# Each starts from tests/fuzz/corpus/<name>/ (replayed by make test) and keeps what it finds in
# build/fuzz/corpus/<name>/.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= checkpoint tsv vocab config
FUZZ_CXX     := clang++ -std=c++20 -g -O1 -fopenmp -I.
FUZZ_LIB     := $(BUILD)/fuzz/libglimpse.a
FUZZ_DEPS_OK := $(BUILD)/.fuzz-deps-ok
FUZZ_PACKAGES:= clang libclang-rt-14-dev libomp-14-dev

$(FUZZ_DEPS_OK):
	@mkdir -p $(BUILD)
	@probe='extern "C" int LLVMFuzzerTestOneInput(const char*, unsigned long) { return 0; }'; \
	printf '%s\n' "$$probe" | clang++ -fsanitize=fuzzer -fopenmp -x c++ - -o $(BUILD)/.fuzz-probe >/dev/null 2>&1 \
	  || sh .ci/apt_install $(FUZZ_PACKAGES)
	@rm -f $(BUILD)/.fuzz-probe
	@touch $@

$(BUILD)/fuzz/obj/%.o: %.cpp | $(DEPS_OK) $(FUZZ_DEPS_OK)
	@mkdir -p $(dir $@)
	$(FUZZ_CXX) -fsanitize=fuzzer-no-link,address,undefined -MMD -MP -c $< -o $@

$(FUZZ_LIB): $(LIB_SRC:%.cpp=$(BUILD)/fuzz/obj/%.o) $(BUILD)/fuzz/obj/tests/fuzz_targets.o
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_main.cpp tests/fuzz_targets.hpp $(FUZZ_LIB)
	$(FUZZ_CXX) -fsanitize=fuzzer,address,undefined -DFUZZ_TARGET=fuzz_$* $< $(FUZZ_LIB) -o $@ $(LDLIBS)

fuzz: $(addprefix $(BUILD)/fuzz/fuzz_,$(FUZZ_TARGETS))
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(BUILD)/fuzz/corpus/$$t; \
	  echo "== fuzz $$t for $(FUZZ_SECONDS) s"; \
	  $(BUILD)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    $$(test -f tests/fuzz/$$t.dict && echo -dict=tests/fuzz/$$t.dict) \
	    $(BUILD)/fuzz/corpus/$$t tests/fuzz/corpus/$$t || exit 1; \
	done

# --- stepping through: a debug build apart from the fast one, gdb with the Tensor printer ---
# The same sources at -O0 -g with the standard library's bounds checks, into build/debug/, so gdb
# shows every variable and steps line by line; the fast build is untouched.
.PHONY: debug gdb test-gdb gdb-installed compile_commands.json
DEBUG         := $(BUILD)/debug
# fmt's header compiles fmt's own code at -Og when not optimising (a pragma, FMT_GCC_PRAGMA); the
# location lists that leaves make gdb stop at a function's first instruction, before its
# arguments are stored (`break f` then shows garbage), so the pragma is defined away.
DEBUGFLAGS    := $(CXXSTD) -O0 -g -D_GLIBCXX_ASSERTIONS '-DFMT_GCC_PRAGMA(arg)=' $(WARNINGS) -fopenmp -I. -MMD -MP
DEBUG_LIB     := $(DEBUG)/libglimpse.a
DEBUG_TESTS   := $(DEBUG)/tests/glimpse_tests
DEBUG_TUTS    := $(addprefix $(DEBUG)/tutorials/,$(TUTORIALS))
GDB_PRINTER   := core/tensor_gdb.py
GDB_TUTORIAL  := $(firstword $(filter $(T)_%,$(TUTORIALS)))
BREAK         ?= main
# The printer's test program needs core alone, which keeps `make test-gdb` quick from scratch.
GDB_TEST      := $(DEBUG)/tests/gdb_tensor_printer
GDB_TEST_OBJ  := $(DEBUG)/obj/tests/gdb/tensor_printer_program.o $(patsubst %.cpp,$(DEBUG)/obj/%.o,$(wildcard core/*.cpp))

$(DEBUG)/obj/%.o: %.cpp | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CXX) $(DEBUGFLAGS) -c $< -o $@

$(DEBUG_LIB): $(LIB_SRC:%.cpp=$(DEBUG)/obj/%.o)
	@rm -f $@
	ar rcs $@ $^

$(DEBUG_TESTS): $(TEST_SRC:%.cpp=$(DEBUG)/obj/%.o) $(DEBUG_LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(DEBUGFLAGS) $^ -o $@ $(LDLIBS)

$(DEBUG)/tutorials/%: $(DEBUG)/obj/tutorials/%.o $(DEBUG_LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(DEBUGFLAGS) $^ -o $@ $(LDLIBS)

$(GDB_TEST): $(GDB_TEST_OBJ)
	@mkdir -p $(dir $@)
	$(CXX) $(DEBUGFLAGS) $^ -o $@ $(LDLIBS)

debug: $(DEBUG_LIB) $(DEBUG_TESTS) $(DEBUG_TUTS)

gdb-installed:
	@command -v gdb >/dev/null || sh .ci/apt_install gdb

gdb: $(if $(GDB_TUTORIAL),$(DEBUG)/tutorials/$(GDB_TUTORIAL)) | gdb-installed
	@test -n "$(GDB_TUTORIAL)" || { echo "usage: make gdb T=05 [BREAK=main] [ARGS=--quick] (T: $(foreach t,$(TUTORIALS),$(firstword $(subst _, ,$(t)))))"; exit 1; }
	$(PASSIVE) gdb -q -x $(GDB_PRINTER) -ex 'set print frame-arguments presence' -ex 'break $(BREAK)' -ex run --args $(DEBUG)/tutorials/$(GDB_TUTORIAL) $(ARGS)

test-gdb: $(GDB_TEST) | gdb-installed
	@sh tests/gdb/run_printer_test.sh $(GDB_TEST) $(GDB_PRINTER)

# For clangd and editors: every source compiled as the fast build compiles it, without the
# precompiled header (clang cannot read GCC's).
EDITOR_SRC = $(shell find core nn attention decode tutorials tests bench -name '*.cpp' | sort)
compile_commands.json:
	@{ printf '['; sep=''; for f in $(EDITOR_SRC); do \
	  case $$f in tests/*|tutorials/[0-9][0-9]_*) flags="$(filter-out -MMD -MP,$(OG_CXXFLAGS))";; \
	    *) flags="$(filter-out -MMD -MP,$(CXXFLAGS))";; esac; \
	  printf '%s\n  {"directory": "%s", "file": "%s", "command": "%s %s -c %s"}' "$$sep" "$(CURDIR)" "$$f" "$(CXX)" "$$flags" "$$f"; \
	  sep=,; done; printf '\n]\n'; } > $@
	@echo "wrote $@ ($(words $(EDITOR_SRC)) files)"

# Coursework (tutorials/coursework/, README "Coursework"). One checker binary per set of
# assignment files: the checks, prebuilt once, linked with the student's aN_*.cpp and the library,
# so an edited assignment costs one compile and one link. The student's files come from WORK
# (default tutorials/coursework/), or from solutions/ with SOLUTIONS=1.
CW          := tutorials/coursework
CW_FILES    := $(notdir $(wildcard $(CW)/a[0-9]_*.cpp))
CW_CHECKS   := $(patsubst %.cpp,$(BUILD)/obj/%.o,$(wildcard $(CW)/checks/*.cpp)) \
               $(BUILD)/obj/tests/golden_reader.o
WORK        ?= $(CW)
CW_WORK     := $(if $(filter 1,$(SOLUTIONS)),$(CW)/solutions,$(patsubst %/,%,$(WORK)))
CW_OUT      := $(BUILD)/coursework/$(subst /,_,$(CW_WORK))
CW_SOLVED   := $(patsubst %.cpp,$(BUILD)/obj/%.o,$(wildcard $(CW)/solutions/a[0-9]_*.cpp))
CW_WRONG    := $(basename $(notdir $(wildcard $(CW)/wrong/a[0-9]_*.cpp)))

$(CW_OUT)/%.o: $(CW_WORK)/%.cpp | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) -c $< -o $@

$(CW_OUT)/check: $(addprefix $(CW_OUT)/,$(CW_FILES:.cpp=.o)) $(CW_CHECKS) $(LIB)
	$(CXX) $(CXXFLAGS) $^ -o $@ $(LDLIBS)

# A wrong solution wrong/aN_what.cpp is linked with the other assignments' solutions.
cw_other_solutions = $(filter-out $(BUILD)/obj/$(CW)/solutions/$(firstword $(subst _, ,$(1)))_%,$(CW_SOLVED))
.SECONDARY: $(CW_SOLVED) $(patsubst %,$(BUILD)/obj/$(CW)/wrong/%.o,$(CW_WRONG))
.SECONDEXPANSION:
$(BUILD)/coursework/wrong/%: $(BUILD)/obj/$(CW)/wrong/%.o $$(call cw_other_solutions,$$*) \
    $(CW_CHECKS) $(LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) $^ -o $@ $(LDLIBS)

ifeq ($(WRONG),1)
check: $(addprefix $(BUILD)/coursework/wrong/,$(CW_WRONG))
	@bash $(CW)/check_wrong.sh $(BUILD)/coursework/wrong $(CW)/wrong
else
check: $(CW_OUT)/check
	@bash $(CW)/grade.sh $(CW_OUT)/check $(CW_OUT)/grades.jsonl $(if $(A),a$(patsubst a%,%,$(A)))
endif

format:
	clang-format -i $(wildcard glimpse.hpp */*.hpp */*.cpp)

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
