#!/bin/sh
# bench-scale.sh - make bench-scale: chapter 15's steps timed on 1 and
# 2 ranks of one machine (1 OpenBLAS thread each), 64 and 256 images
# per rank, the gradients summed flat or layer by layer (--overlap);
# then the ring all-reduce's model for more machines.
#
#   sh chapters/15-scale-out/bench-scale.sh BIN OUT [REPEATS]
#
# The runs are interleaved, REPEATS rounds of every configuration, so
# that the load of a shared machine falls on all of them alike; each
# configuration's figure is the median over its rounds. Every run
# times its own steps after a warm-up (step_ms, and sync_ms of it in
# the sums), so loading the data is not counted.
set -e
bin=$1/15-scale-out
out=$2
repeats=${3:-3}
mpirun="mpirun --allow-run-as-root --oversubscribe --mca btl tcp,self"
mkdir -p "$out"
csv=$out/bench.csv
echo "round,ranks,batch_per_rank,overlap,step_ms,sync_ms,grad_floats" > "$csv.tmp"
for round in $(seq 1 "$repeats"); do
  for batch in 64 256; do
    steps=$((batch == 64 ? 40 : 16))
    for config in "1 0" "2 0" "2 1"; do
      set -- $config
      ranks=$1; overlap=$2
      flag=""; [ "$overlap" = 1 ] && flag="--overlap"
      cmd="$bin --out $out/run --batch $batch --steps $steps --threads 1 --quiet --no-events $flag"
      [ "$ranks" -gt 1 ] && cmd="$mpirun -np $ranks $cmd"
      line=$($cmd | grep '^result:')
      field() { echo "$line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
      echo "$round,$ranks,$batch,$overlap,$(field step_ms),$(field sync_ms),$(field grad_floats)" >> "$csv.tmp"
      echo "bench-scale: round $round, $ranks rank(s), batch $batch per rank, overlap $overlap: $(field step_ms) ms a step, $(field sync_ms) ms of it summing"
    done
  done
done
mv "$csv.tmp" "$csv"
kernel=$($bin --steps 1 --limit 64 --batch 64 --out "$out/run" --no-events | sed -n 's/.*(kernel \(.*\))$/\1/p')
rm -rf "$out/run"

# medians per configuration, then the table and the model
sort -t, -k2,2n -k3,3n -k4,4n -k5,5g "$csv" | awk -F, -v kernel="$kernel" '
NR == 1 { next }
{ key = $2 "," $3 "," $4; n[key]++; step[key, n[key]] = $5;
  sync[key, n[key]] = $6; floats = $7 }
function median(a, key, k) { k = n[key];
  return k % 2 ? a[key, (k + 1) / 2] : (a[key, k / 2] + a[key, k / 2 + 1]) / 2 }
END {
  printf "OpenBLAS kernel %s, 1 thread per rank; medians of each configuration'"'"'s rounds\n\n", kernel
  printf "%-6s %-15s %-8s %9s %9s %8s %9s %11s\n", "ranks", "batch per rank", "overlap", "step ms", "sync ms", "steps/s", "images/s", "efficiency"
  for (b = 64; b <= 256; b *= 4) {
    one = 0
    for (c = 0; c < 3; c++) {
      r = c == 0 ? 1 : 2; o = c == 2 ? 1 : 0; key = r "," b "," o
      if (!(key in n)) continue
      ms = median(step, key); sm = median(sync, key)
      ips = 1000 / ms * r * b
      if (r == 1) { one = ips; compute[b] = ms }
      eff = one > 0 ? sprintf("%.0f%%", 100 * ips / (r * one)) : "-"
      printf "%-6d %-15d %-8s %9.1f %9.1f %8.1f %9.0f %11s\n", r, b, o ? "yes" : "no", ms, sm, 1000 / ms, ips, eff
      ratio[b, o] = ms
    }
    if (ratio[b, 0] > 0 && ratio[b, 1] > 0)
      printf "       overlap: a step of 2 ranks takes %.2f times as long as without\n", ratio[b, 1] / ratio[b, 0]
  }
  bytes = 4 * floats
  printf "\ngradients summed per step: %d floats, %.1f MB (G and D)\n", floats, bytes / 1e6
  printf "ring all-reduce, 2(P-1)/P x bytes / bandwidth, against one rank'"'"'s step (%.1f ms at 64, %.1f ms at 256):\n", compute[64], compute[256]
  printf "%-10s %12s %12s %14s\n", "bandwidth", "P = 2 (ms)", "P -> oo (ms)", "hidden from B"
  slope = (compute[256] - compute[64]) / 192; base = compute[64] - 64 * slope
  for (g = 1; g <= 100; g *= 10) {
    t2 = 2 * (1 / 2) * bytes * 8 / (g * 1e9) * 1000
    tinf = 2 * bytes * 8 / (g * 1e9) * 1000
    hide = slope > 0 ? (tinf - base) / slope : -1
    printf "%-10s %12.1f %12.1f %14s\n", g " Gb/s", t2, tinf, hide <= 1 ? "any" : sprintf("%.0f", hide)
  }
  printf "(\"hidden from B\": the images per rank at which a step'"'"'s compute, fitted as a + b B\n from the two batches, reaches the sum for many ranks, if the sum overlapped it all)\n"
}' | tee "$out/summary.txt"
