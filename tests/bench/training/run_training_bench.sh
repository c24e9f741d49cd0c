#!/bin/sh
# Speed benchmark of the training step (issue 6; not a CTest test): every shipped platform x
# {llama2-70b, gpt3-175b}, one simulation per process pinned to one core, wall and CPU
# seconds per case. Target: each case <= 10 s wall on one core of a 2-core machine.
#   tests/bench/training/run_training_bench.sh BUILD_DIR [OUT.csv]
set -eu
build=${1:?usage: run_training_bench.sh BUILD_DIR [OUT.csv]}
out=${2:-/dev/stdout}
src=$(cd "$(dirname "$0")/../../.." && pwd)
bin="$build/bin/chipletsim"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "platform,workload,wall_s,cpu_s,step_time_s,mfu,transactions,within_10s" > "$tmp/out.csv"
for p in "$src"/configs/platforms/*.yaml; do
  for w in llama2-70b gpt3-175b; do
    name=$(basename "$p" .yaml)
    if ! /usr/bin/time -f "%e %U" -o "$tmp/time" taskset -c 0 "$bin" run "$p" \
        "$src/configs/workloads/$w.yaml" --quiet --json "$tmp/r.json" 2> "$tmp/err"; then
      echo "$name,$w,error,,,,,$(head -c 200 "$tmp/err" | tr ',\n' '; ')" >> "$tmp/out.csv"
      continue
    fi
    python3 - "$tmp/r.json" "$tmp/time" "$name" "$w" >> "$tmp/out.csv" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
wall, cpu = (float(x) for x in open(sys.argv[2]).read().split()[-2:])
m = r["metrics"]
print(f'{sys.argv[3]},{sys.argv[4]},{wall:.2f},{cpu:.2f},{m["step_time_s"]:.4g},'
      f'{m["mfu"]:.3f},{r["sim"]["transactions"]},{"yes" if wall <= 10 else "NO"}')
PY
  done
done
cat "$tmp/out.csv" > "$out"
