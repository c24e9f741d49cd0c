#!/bin/sh
# Speed benchmark of `chipletsim sweep` (issue 7; not a CTest test): the runner's own cost per
# point, i.e. a 100-point sweep of tiny HBM traffic points with --jobs 1 against the same 100
# points run one by one with `chipletsim run`, and the speed-up of --jobs 2.
# Target: runner overhead <= 10 ms per point; --jobs 2 at least 1.5x faster than --jobs 1 on
# a 2-core machine.
#   tests/bench/sweep/run_sweep_bench.sh BUILD_DIR
set -eu
build=${1:?usage: run_sweep_bench.sh BUILD_DIR}
src=$(cd "$(dirname "$0")/../../.." && pwd)
bin="$build/bin/chipletsim"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
seeds=$(seq -s, 1 50)
cat > "$tmp/s.yaml" <<YAML
name: bench-sweep
platform: $src/configs/platforms/bench/hbm-hbm3.yaml
workload: $src/configs/workloads/traffic/stream-read.yaml
axes:
  - {key: workload.seed, values: [$seeds]}
  - {key: workload.total_bytes, values: ["16 KiB", "32 KiB"]}
YAML
now() { python3 -c 'import time; print(time.monotonic())'; }
t0=$(now)
for s in $(seq 1 50); do
  for b in "16 KiB" "32 KiB"; do
    "$bin" run "$src/configs/platforms/bench/hbm-hbm3.yaml" \
      "$src/configs/workloads/traffic/stream-read.yaml" --set "workload.seed=$s" \
      --set "workload.total_bytes=$b" --quiet --json "$tmp/r.json"
  done
done
t1=$(now)
"$bin" sweep "$tmp/s.yaml" --jobs 1 --out "$tmp/j1" 2>/dev/null
t2=$(now)
"$bin" sweep "$tmp/s.yaml" --jobs 2 --out "$tmp/j2" 2>/dev/null
t3=$(now)
cmp -s "$tmp/j1/results.csv" "$tmp/j2/results.csv" || { echo "results differ between --jobs 1 and 2"; exit 1; }
python3 - "$t0" "$t1" "$t2" "$t3" <<'PY'
import sys
t0, t1, t2, t3 = (float(x) for x in sys.argv[1:])
direct, j1, j2 = t1 - t0, t2 - t1, t3 - t2
overhead_ms = (j1 - direct) / 100 * 1e3
print(f"100 points: one by one {direct:.2f} s, sweep --jobs 1 {j1:.2f} s, --jobs 2 {j2:.2f} s")
print(f"runner overhead {overhead_ms:.1f} ms/point ({'ok' if overhead_ms <= 10 else 'ABOVE 10 ms'}), "
      f"--jobs 2 speed-up {j1 / j2:.2f}x ({'ok' if j1 / j2 >= 1.5 else 'BELOW 1.5x'})")
PY
