#!/bin/sh
# run-parts.sh RUN_TESTS LOG_DIR N - the suite without the book's runs,
# in N parts at once (run-tests --part K/N), for make sanitize: the
# programs the tests start run on one thread, so two parts keep both
# cores busy. Each part's output goes to LOG_DIR/part-K.log and is
# shown, part after part, once all have ended; fails if any part did.
set -u
bin=$1 logs=$2 n=$3
mkdir -p "$logs"
pids=""
k=1
while [ "$k" -le "$n" ]; do
  "$bin" --no-book-runs --part "$k/$n" >"$logs/part-$k.log" 2>&1 &
  pids="$pids $!"
  k=$((k + 1))
done
status=0
k=1
for pid in $pids; do
  if ! wait "$pid"; then
    echo "run-parts: part $k of $n failed" >&2
    status=1
  fi
  k=$((k + 1))
done
k=1
while [ "$k" -le "$n" ]; do
  echo "=== part $k of $n ($logs/part-$k.log)"
  cat "$logs/part-$k.log"
  k=$((k + 1))
done
exit $status
