# Two commands do everything on a fresh Debian 12 machine:
#   make demo   install what is missing, build, run the main job on bundled data
#   make test   install what is missing, build, run every test (C++, rulebook scenarios, Python)
# Other targets: make build, make bench, make reference, make clean.

BUILD ?= build
# The same C++ built with AddressSanitizer and UndefinedBehaviorSanitizer, warnings as errors;
# make test runs its tests too.
SANITIZE_BUILD ?= $(BUILD)-sanitize
SANITIZE_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
# The libFuzzer targets (tests/fuzz), built by clang with the same sanitizers. make fuzz runs each
# for FUZZ_SECONDS; make test runs each for FUZZ_TEST_SECONDS.
FUZZ_BUILD ?= $(BUILD)-fuzz
FUZZ_SECONDS ?= 300
FUZZ_TEST_SECONDS ?= 10
JOBS ?= $(shell nproc)
# Debian's own interpreter: the one python3-pytest, -numpy and -pandas are installed for.
PYTHON ?= /usr/bin/python3
# Debian packages the build and the tests need.
PACKAGES := g++ cmake make libboost-dev libboost-date-time-dev libyaml-cpp-dev \
            libgtest-dev libgmock-dev libbenchmark-dev \
            pybind11-dev python3-dev python3-pytest python3-hypothesis python3-numpy python3-pandas \
            python3-dask python3-distributed \
            clang-14 libclang-rt-14-dev \
            nlohmann-json3-dev wrk curl python3-jsonschema chromium

.PHONY: all deps build sanitize-build fuzz-build test demo bench bench-dask fuzz reference clean

all: build

deps:
	@missing=$$(for p in $(PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing missing packages:" $$missing; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	  else \
	    echo "Missing packages. Run as root:"; echo "  apt-get update && apt-get install -y" $$missing; exit 1; \
	  fi; \
	fi

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPython_EXECUTABLE=$(PYTHON)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

$(SANITIZE_BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(SANITIZE_BUILD) -DCMAKE_BUILD_TYPE=Debug -DKAIDAH_BUILD_PYTHON=OFF -DKAIDAH_BUILD_BENCH=OFF -DKAIDAH_WERROR=ON \
	  -DCMAKE_CXX_FLAGS="$(SANITIZE_FLAGS)" -DCMAKE_EXE_LINKER_FLAGS="$(SANITIZE_FLAGS)"

sanitize-build: deps $(SANITIZE_BUILD)/CMakeCache.txt
	cmake --build $(SANITIZE_BUILD) -j $(JOBS)

$(FUZZ_BUILD)/CMakeCache.txt: | deps
	CC=clang-14 CXX=clang++-14 cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKAIDAH_BUILD_FUZZ=ON \
	  -DKAIDAH_BUILD_TESTS=OFF -DKAIDAH_BUILD_PYTHON=OFF -DKAIDAH_BUILD_BENCH=OFF \
	  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined"

fuzz-build: deps $(FUZZ_BUILD)/CMakeCache.txt
	cmake --build $(FUZZ_BUILD) -j $(JOBS)

test: build sanitize-build fuzz-build
	@PYTHON=$(PYTHON) KAIDAH_FUZZ_SECONDS=$(FUZZ_TEST_SECONDS) tools/run-tests $(BUILD) $(SANITIZE_BUILD) $(FUZZ_BUILD)

# Each fuzz target for FUZZ_SECONDS (its corpus grows in $(FUZZ_BUILD)/tests/fuzz/corpus; what it
# finds is in .../findings). make fuzz FUZZ_SECONDS=1800 for a long run.
fuzz: fuzz-build
	cd $(FUZZ_BUILD) && KAIDAH_FUZZ_SECONDS=$(FUZZ_SECONDS) ctest --output-on-failure -R '^fuzz\.' 

# The main job: the PESIAR sweep of the bundled roster of one Koperasi Desa Merah Putih and the
# informal workers around it, with the bundled JKN rulebook, at a fixed date.
# Builds only what it runs (the library and the kaidah command, not the tests, the Python module
# or the benchmarks), and writes the results beside the user, in kaidah-sweep/.
demo: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS) --target kaidah_cli
	$(BUILD)/kaidah sweep examples/data/population.csv --date 2026-11-24 --out kaidah-sweep
	@echo "open kaidah-sweep/report.html in a browser for the report"
	@echo "to serve the rulebook as a JSON web service: $(BUILD)/kaidah serve   (http://127.0.0.1:8080/; README.md, 'kaidah serve')"
	@echo "  then: curl -s localhost:8080/v1/rulebook/parameters/ppu_wage_ceiling"

# Regenerates rules/jkn/REFERENCE.md, the function table of docs/language.md and the compiled
# form in tests/golden from the rulebook and the language (CI checks that each is current).
reference: build
	$(BUILD)/kaidah reference rules/jkn > rules/jkn/REFERENCE.md.tmp && mv rules/jkn/REFERENCE.md.tmp rules/jkn/REFERENCE.md
	$(BUILD)/kaidah functions > $(BUILD)/functions.md
	awk -v table=$(BUILD)/functions.md '/<!-- functions: end/ {skip = 0} !skip {print} \
	  /<!-- functions: begin/ {while ((getline line < table) > 0) print line; skip = 1}' \
	  docs/language.md > docs/language.md.tmp && mv docs/language.md.tmp docs/language.md
	cmake -DKAIDAH=$(BUILD)/kaidah -DSOURCE_DIR=$(CURDIR) -DOUTPUT=$(BUILD)/jkn-compiled.txt -DUPDATE=1 \
	  -P tests/check_compiled.cmake

# Google Benchmark (single cases; batches of 1,000,000 people against a hand-written C++ loop),
# the Python DataFrame path, kaidah sweep of a 1,000,000-row roster, kaidah serve under wrk and a
# 1,000,000-row streamed batch, then one table of the figures, their targets and ratios.
bench: build
	$(BUILD)/bench/kaidah_bench --benchmark_out=$(BUILD)/bench.json --benchmark_out_format=json
	PYTHONPATH=$(BUILD)/python $(PYTHON) bench/python_batch.py $(BUILD)/bench-python.json
	$(PYTHON) bench/sweep.py $(BUILD)/kaidah $(BUILD)/bench-sweep.json
	$(PYTHON) bench/serve.py $(BUILD)/kaidah $(BUILD)/bench-serve.json
	@echo; $(PYTHON) bench/summarize.py $(BUILD)/bench.json $(BUILD)/bench-python.json $(BUILD)/bench-sweep.json \
	  $(BUILD)/bench-serve.json

# The national run on Dask (issue #21): 20 million synthetic people through kaidah.dask.evaluate on
# a local cluster of two worker processes, against one process. Minutes; not part of make bench.
bench-dask: build
	PYTHONPATH=$(BUILD)/python $(PYTHON) bench/dask_national.py

clean:
	rm -rf $(BUILD) $(SANITIZE_BUILD) $(FUZZ_BUILD)
