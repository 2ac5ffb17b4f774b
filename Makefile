# glimpse: one Makefile builds the library, the tests, the tutorials and the benchmarks into build/.
# `make help` lists the targets.

CXX      ?= g++
CXXSTD   := -std=c++20
WARNINGS := -Wall -Wextra
OPTIMISE := -O2 -march=native
CXXFLAGS := $(CXXSTD) $(OPTIMISE) $(WARNINGS) -fopenmp -I. -MMD -MP
LDLIBS   := -lfmt
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
	@echo "make fuzz       fuzz the checkpoint loader with libFuzzer for 60 s (FUZZ_SECONDS=...)"
	@echo "make check      coursework: build your tutorials/coursework/aN_*.cpp and grade them;"
	@echo "                A=2 one assignment, SOLUTIONS=1 the instructor's solutions,"
	@echo "                WORK=dir your copy of the assignments, WRONG=1 the wrong solutions"
	@echo "make format     format the sources with clang-format"
	@echo "make clean      remove build/"

# Every target that compiles first makes sure doctest and fmt are installed.
deps: $(DEPS_OK)
$(DEPS_OK):
	@mkdir -p $(BUILD)
	@if printf '#include <doctest/doctest.h>\n#include <fmt/core.h>\n' | $(CXX) $(CXXSTD) -E -x c++ - >/dev/null 2>&1; then \
	  touch $@; \
	elif [ "$$(id -u)" = 0 ]; then \
	  echo "glimpse: installing doctest-dev and libfmt-dev with apt-get"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q doctest-dev libfmt-dev g++ make && touch $@; \
	elif sudo -n true 2>/dev/null; then \
	  echo "glimpse: installing doctest-dev and libfmt-dev with sudo apt-get"; \
	  sudo apt-get update -q && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q doctest-dev libfmt-dev && touch $@; \
	else \
	  echo "glimpse needs doctest and fmt: run  sudo apt-get install doctest-dev libfmt-dev"; exit 1; \
	fi

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

$(BUILD)/obj/%.o: %.cpp | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) -c $< -o $@

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
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 $(SAN_TESTS)

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

# $(call apt_install,PACKAGES,WHAT NEEDS THEM): installs Debian packages with apt-get as root or
# with passwordless sudo; otherwise says the one command to run, and fails.
apt_install = { \
	if [ "$$(id -u)" = 0 ]; then sudo=; elif sudo -n true 2>/dev/null; then sudo=sudo; \
	else echo "$(2): run  sudo apt-get install $(1)"; exit 1; fi; \
	echo "glimpse: installing $(1) with $${sudo:+sudo }apt-get"; \
	$$sudo apt-get update -q && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(1); }

# PyTorch's reference figures need Debian's python3-torch, and python3-threadpoolctl to set
# OpenBLAS's threads; make bench installs them like the other dependencies.
BENCH_DEPS_OK  := $(BUILD)/.bench-deps-ok
BENCH_PACKAGES := python3-torch python3-threadpoolctl
$(BENCH_DEPS_OK):
	@mkdir -p $(BUILD)
	@/usr/bin/python3 -c 'import torch, threadpoolctl' 2>/dev/null || \
	  $(call apt_install,$(BENCH_PACKAGES),make bench compares with PyTorch)
	@touch $@

bench: $(BENCH_BINS) | $(BENCH_DEPS_OK)
	@for b in $(BENCHES); do $(BUILD)/bench/$$b || exit 1; done

# libFuzzer on the checkpoint parser: bytes in, a clean Error or a file that round-trips out.
# It needs clang++ with libFuzzer's runtime (and LLVM's OpenMP, for GEMM), installed like the
# other dependencies. New inputs it finds go to build/fuzz/corpus; tests/golden seeds it.
FUZZ_SECONDS ?= 60
FUZZ_SRC     := tests/fuzz/fuzz_checkpoint.cpp nn/safetensors.cpp $(wildcard core/*.cpp)
FUZZ_BIN     := $(BUILD)/fuzz/fuzz_checkpoint
FUZZ_DEPS_OK := $(BUILD)/.fuzz-deps-ok
FUZZ_PACKAGES:= clang libclang-rt-14-dev libomp-14-dev

$(FUZZ_DEPS_OK):
	@mkdir -p $(BUILD)
	@probe='extern "C" int LLVMFuzzerTestOneInput(const char*, unsigned long) { return 0; }'; \
	printf '%s\n' "$$probe" | clang++ -fsanitize=fuzzer -fopenmp -x c++ - -o $(BUILD)/.fuzz-probe >/dev/null 2>&1 || \
	  $(call apt_install,$(FUZZ_PACKAGES),make fuzz needs clang and libFuzzer)
	@rm -f $(BUILD)/.fuzz-probe
	@touch $@

$(FUZZ_BIN): $(FUZZ_SRC) $(wildcard core/*.hpp nn/safetensors.hpp nn/module.hpp) | $(DEPS_OK) $(FUZZ_DEPS_OK)
	@mkdir -p $(dir $@)
	clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fopenmp -I. -o $@ $(FUZZ_SRC) $(LDLIBS)

fuzz: $(FUZZ_BIN)
	@mkdir -p $(BUILD)/fuzz/corpus
	$(FUZZ_BIN) -max_total_time=$(FUZZ_SECONDS) -dict=tests/fuzz/safetensors.dict $(BUILD)/fuzz/corpus tests/golden

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
