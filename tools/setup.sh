#!/usr/bin/env bash
# Sets up a Debian 12 machine for chipletsim: installs the Debian packages that are missing,
# then configures and builds into build/ (executables in build/bin/). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  g++ make cmake pkg-config          # toolchain
  libsystemc-dev                     # SystemC 2.3.4 with TLM-2.0 (built as C++17)
  libyaml-cpp-dev                    # configs
  nlohmann-json3-dev                 # results JSON
  libcli11-dev                       # command line
  libboost-dev                       # Boost headers (accumulators, graph, process)
  libgtest-dev libbenchmark-dev      # tests and speed benchmarks
  gnuplot-nox                        # plots
  openmpi-bin libopenmpi-dev         # the MPI sweep backend (optional: built when found)
  clang-14 libclang-rt-14-dev        # libFuzzer and sanitizers in .ci/run
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCHIPLETSIM_WERROR=ON >&2
cmake --build build -j"$(nproc)" >&2
