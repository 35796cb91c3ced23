#!/usr/bin/env bash
# Builds the libFuzzer harnesses in fuzz/ with clang++-14 (-fsanitize=fuzzer,address,undefined) into build/fuzz,
# compiling the engine sources directly as a checking build (PG_CHECKS=1, engine/kernel/assert.hpp), then runs each for a
# while, one after the other.
#   scripts/fuzz.sh --short        about 20 s per harness (what ./test runs)
#   scripts/fuzz.sh --seconds N    N seconds per harness (default 60)
#   scripts/fuzz.sh --only NAME    one harness (fuzz_link, fuzz_scenario, fuzz_simulate; repeatable)
#   scripts/fuzz.sh --build-only
# Seeds are read from fuzz/corpus/<name>/ (kept small, committed); new inputs go to build/fuzz/corpus/<name>/ and
# crashing inputs to build/fuzz/artifacts/; fuzz/<name>.dict is the dictionary (fuzz_simulate uses scenario.dict).
# Prints one summary line per harness (runs, coverage, corpus) and exits non-zero when a harness crashed, leaked,
# timed out or failed to build.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60; build_only=0; only=()
usage() { echo "usage: scripts/fuzz.sh [--short | --seconds N] [--only NAME]... [--build-only]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --short) seconds=20 ;;
    --seconds) seconds="${2:?--seconds needs a number}"; shift ;;
    --only) only+=("${2:?--only needs a harness name, e.g. fuzz_simulate}"); shift ;;
    --build-only) build_only=1 ;;
    *) usage ;;
  esac
  shift
done
case "$seconds" in ''|*[!0-9]*) echo "fuzz: --seconds needs a whole number, got \"$seconds\"" >&2; exit 2 ;; esac
for name in "${only[@]}"; do
  [ -f fuzz/$name.cpp ] || { echo "fuzz: no harness fuzz/$name.cpp (have: $(cd fuzz && ls fuzz_*.cpp | sed 's/\.cpp//' | tr '\n' ' '))" >&2; exit 2; }
done

cxx=clang++-14
command -v $cxx >/dev/null || { echo "fuzz: $cxx not found (scripts/install-deps.sh installs clang-14)" >&2; exit 1; }
out=build/fuzz
mkdir -p $out/obj $out/artifacts
flags=(-std=c++20 -g -O1 -fno-omit-frame-pointer -ffp-contract=off -fno-fast-math -I. -DPLAYGROUND_VERSION=\"fuzz\"
       -DPG_CHECKS=1 -fsanitize=address,undefined -fno-sanitize-recover=undefined)
# Objects built with other flags are stale: the flags are kept next to them.
if [ "$(cat $out/flags 2>/dev/null)" != "${flags[*]}" ]; then
  rm -f $out/obj/*.o
  echo "${flags[*]}" > $out/flags
fi

# Every engine source: fuzz_simulate runs the whole engine (and one set of objects serves every harness).
engine_sources=($(cd engine && find . -name '*.cpp' | sed 's|^\./||; s|\.cpp$||' | sort))
headers_newest=$(ls -t $(find engine -name '*.hpp') | head -n 1)
# Stale objects are compiled in batches of one per core (a fresh clone compiles all of them: this halves that time
# on two cores); each compiler is waited for by its own pid so a failing one fails the script.
objects=(); stale=()
for name in "${engine_sources[@]}"; do
  source=engine/$name.cpp object=$out/obj/${name//\//_}.o
  if [ ! -f $object ] || [ $source -nt $object ] || [ $headers_newest -nt $object ]; then stale+=($name); fi
  objects+=($object)
done
cores=$(nproc 2>/dev/null || echo 2)
for ((first = 0; first < ${#stale[@]}; first += cores)); do
  pids=()
  for name in "${stale[@]:first:cores}"; do
    echo "[fuzz] compiling engine/$name.cpp"
    $cxx "${flags[@]}" -fsanitize=fuzzer-no-link -c engine/$name.cpp -o $out/obj/${name//\//_}.o &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do
    wait $pid || { echo "[fuzz] a compile failed (see above)" >&2; exit 1; }
  done
done

harnesses=()
for source in fuzz/fuzz_*.cpp; do
  name=$(basename $source .cpp)
  if [ ${#only[@]} -gt 0 ] && [[ ! " ${only[*]} " =~ " $name " ]]; then continue; fi
  binary=$out/$name
  if [ ! -x $binary ] || [ $source -nt $binary ] || [ -n "$(find $out/obj -newer $binary -name '*.o')" ]; then
    echo "[fuzz] building $binary"
    $cxx "${flags[@]}" -fsanitize=fuzzer $source "${objects[@]}" -lz -o $binary
  fi
  harnesses+=($name)
done
[ $build_only -eq 1 ] && exit 0

failed=()
for name in "${harnesses[@]}"; do
  corpus=${name#fuzz_}
  mkdir -p $out/corpus/$corpus
  dict_file=fuzz/$corpus.dict; [ $corpus = simulate ] && dict_file=fuzz/scenario.dict   # it reads scenarios too
  dict=(); [ -f $dict_file ] && dict=(-dict=$dict_file)
  log=$out/$name.log
  echo "[fuzz] $name for ${seconds}s (log $log)"
  status=0
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
    $out/$name $out/corpus/$corpus fuzz/corpus/$corpus "${dict[@]}" -max_total_time=$seconds -timeout=10 \
      -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 -artifact_prefix=$out/artifacts/$name- >$log 2>&1 || status=$?
  runs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' $log | tail -n 1)
  speed=$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+)/\1/p' $log | tail -n 1)
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+[a-zA-Z]*' $log | tail -n 1)
  echo "[fuzz] $name: exit $status, ${runs:-?} runs (${speed:-?}/s), ${cov:-no coverage line}"
  if [ $status -ne 0 ]; then
    failed+=($name)
    grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz_|.*runtime error)' $log | head -n 20 || true
    ls $out/artifacts/$name-* 2>/dev/null | head -n 5 || true
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "[fuzz] FAILED: ${failed[*]}"
  exit 1
fi
echo "[fuzz] all harnesses ran clean"
