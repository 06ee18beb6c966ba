#!/bin/sh
# run.sh BUILD SECONDS TARGET... - runs each fuzz target for SECONDS,
# one after another, from its committed seed corpus and dictionary;
# prints each one's final numbers and fails when any target found a
# crash (the input is in BUILD/crashes/).
#
# Allocations are capped as libpng's fuzzers cap theirs: a file that
# claims a huge size is a finding only if the code actually allocates
# it (-malloc_limit_mb: one allocation that large stops the run).
set -u
build=$1 seconds=$2
shift 2
here=$(dirname "$0")
MALLOC_LIMIT_MB=${MALLOC_LIMIT_MB:-64}
RSS_LIMIT_MB=${RSS_LIMIT_MB:-1024}
failed=""
mkdir -p "$build/crashes"
for t in "$@"; do
  corpus=$build/corpus/$t
  mkdir -p "$corpus"
  log=$build/fuzz_$t.log
  echo "fuzz: $t for $seconds s (log $log)"
  "$build/bin/fuzz_$t" -max_total_time="$seconds" -print_final_stats=1 \
    -malloc_limit_mb="$MALLOC_LIMIT_MB" -rss_limit_mb="$RSS_LIMIT_MB" \
    -dict="$here/$t.dict" -artifact_prefix="$build/crashes/$t-" \
    "$corpus" "$here/corpus/$t" > "$log" 2>&1
  rc=$?
  # the last coverage line, and the final execution rate
  cov=$(grep -E '^#[0-9]+' "$log" | tail -n 1 |
        sed -n 's/.*\(cov: [0-9]*\) \(ft: [0-9]*\).*/\1 \2/p')
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  if [ $rc -ne 0 ]; then
    echo "fuzz: $t FAILED (exit $rc):"
    grep -E 'ERROR|SUMMARY|property failed|runtime error|Test unit written' "$log" | head -n 8
    failed="$failed $t"
  else
    echo "fuzz: $t ok: $runs runs, $rate execs/s, $cov"
  fi
done
if [ -n "$failed" ]; then
  echo "fuzz: crashes in:$failed (inputs in $build/crashes/; rerun one with $build/bin/fuzz_NAME FILE)" >&2
  exit 1
fi
