#!/bin/sh
# run-parts.sh RUN_TESTS LOG_DIR N [FLAGS...] - the suite in N parts at
# once (run-tests FLAGS --part K/N), for make sanitize: the programs the
# tests start run on one thread, so two parts keep both cores busy.
# Each part's output goes to LOG_DIR/part-K.log and is shown, part after
# part, as the parts end; fails if any part did.
set -u
bin=$1 logs=$2 n=$3
shift 3
mkdir -p "$logs"
pids=""
k=1
while [ "$k" -le "$n" ]; do
  "$bin" "$@" --part "$k/$n" >"$logs/part-$k.log" 2>&1 &
  pids="$pids $!"
  k=$((k + 1))
done
failed=""
k=1
for pid in $pids; do
  wait "$pid" || failed="$failed $k"
  echo "=== part $k of $n ($logs/part-$k.log)"
  cat "$logs/part-$k.log"
  k=$((k + 1))
done
[ -z "$failed" ] || { echo "run-parts: failed part(s):$failed of $n" >&2; exit 1; }
