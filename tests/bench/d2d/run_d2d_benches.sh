#!/bin/sh
# D2D speed and throughput benches (not CTest tests). Usage: run_d2d_benches.sh BUILD_DIR
# 1. bench_d2d: the link alone with a test initiator, 1 MiB transactions, LT and AT.
# 2. every configs/platforms/bench/d2d-*.yaml with the memory traffic workloads through the
#    CLI, at the workload's own request size and at 1 MiB (LT), printing achieved bandwidth,
#    efficiency and simulated bytes per wall-second (target: >= 1e12 at 1 MiB).
set -eu
build=${1:?usage: run_d2d_benches.sh BUILD_DIR}
root=$(cd "$(dirname "$0")/../../.." && pwd)
export SC_COPYRIGHT_MESSAGE=DISABLE
"$build/bin/bench_d2d" --mode lt
"$build/bin/bench_d2d" --mode at --outstanding 8
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
report() {
  python3 - "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); m = d["metrics"]; s = d["sim"]
total = float(sys.argv[2])
print("  %-14s %8.4g TB/s  eff %.4f  p50 %8.1f ns  %.3g B simulated per wall-s"
      % (d["workload"]["name"], m["achieved_bytes_per_s"] / 1e12, m.get("efficiency", 0.0),
         m["latency_ns"]["p50"], total / max(s["wall_s"], 1e-9)))
PY
}
for platform in "$root"/configs/platforms/bench/d2d-*.yaml; do
  echo "$(basename "$platform" .yaml)"
  for w in stream-read stream-write copy random-read; do
    wl="$root/configs/workloads/traffic/$w.yaml"
    "$build/bin/chipletsim" run "$platform" "$wl" --quiet --json "$out/r.json" >/dev/null
    bytes=$(python3 -c "import json;print(json.load(open('$out/r.json'))['metrics']['achieved_bytes_per_s']*json.load(open('$out/r.json'))['sim']['simulated_s'])")
    report "$out/r.json" "$bytes"
  done
  "$build/bin/chipletsim" run "$platform" "$root/configs/workloads/traffic/stream-write.yaml" \
    --set "workload.request_size=1 MiB" --set workload.outstanding=4 \
    --set workload.transport=lt --set "workload.total_bytes=64 GiB" \
    --quiet --json "$out/r.json" >/dev/null
  printf '  1 MiB LT:'
  report "$out/r.json" 68719476736
done
