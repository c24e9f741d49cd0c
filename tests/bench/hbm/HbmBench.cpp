// Speed benchmark of the HBM model (not a CTest test). Targets (issue 3):
//   bank fidelity >= 3 M 64-byte requests per wall-second on one core;
//   fast fidelity >= 1 TB of simulated traffic per wall-second at 1 MiB transactions.
// Usage: bench_hbm [core|bank|fast]   (one SystemC elaboration per process)
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include <systemc>

#include "../../unit/hbm/Hbm3TestSpec.h"
#include "hbm/HbmStack.h"
#include "hbm/PatternRunner.h"
#include "workload/TrafficGenerator.h"

using namespace chipletsim;

namespace {

double seconds(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void benchCore() {
  const hbm::HbmSpec spec = hbm::test::hbm3Spec();
  for (bool sequential : {true, false}) {
    hbm::AccessPattern p;
    p.sequential = sequential;
    p.requestBytes = 64;
    p.outstanding = 32;
    p.requests = 1000000;
    const auto t0 = std::chrono::steady_clock::now();
    const hbm::PatternResult r = hbm::PatternRunner(spec).run(p);
    const double wall = seconds(t0);
    std::printf("core  %-10s 64 B: %.2f M requests/wall-s (efficiency %.3f)\n",
                sequential ? "sequential" : "random", p.requests / wall / 1e6, r.efficiency);
  }
}

void benchStack(hbm::Fidelity fidelity) {
  hbm::HbmSpec spec = hbm::test::hbm3Spec();
  spec.fidelity = fidelity;
  workload::MemoryTrafficSpec t;
  const bool bank = fidelity == hbm::Fidelity::kBank;
  t.pattern = bank ? workload::MemoryPattern::kRandomRead : workload::MemoryPattern::kStreamRead;
  t.requestBytes = bank ? 64 : (1u << 20);
  t.outstanding = bank ? 1024 : 4;
  t.totalBytes = bank ? (64ull << 20) : (1024ull << 30);
  t.style = bank ? workload::TransportStyle::kApproximatelyTimed
                 : workload::TransportStyle::kLooselyTimed;
  t.span = static_cast<std::uint64_t>(spec.org.capacity.si());
  hbm::HbmStack stack("hbm", spec);
  workload::TrafficGenerator gen("gen", t);
  gen.out.bind(stack.in);
  const auto t0 = std::chrono::steady_clock::now();
  sc_core::sc_start();
  const double wall = seconds(t0);
  if (bank)
    std::printf(
        "stack bank random-read 64 B (AT, 1024 in flight): %.2f M requests/wall-s, %.1f GB/s "
        "simulated\n",
        gen.transactions() / wall / 1e6, gen.achievedBandwidth() / 1e9);
  else
    std::printf(
        "stack fast stream-read 1 MiB (LT, 4 in flight): %.2f TB simulated/wall-s, %.1f GB/s "
        "simulated\n",
        gen.bytes() / wall / 1e12, gen.achievedBandwidth() / 1e9);
}

}  // namespace

int sc_main(int argc, char* argv[]) {
  const std::string mode = argc > 1 ? argv[1] : "core";
  if (mode == "core")
    benchCore();
  else if (mode == "bank")
    benchStack(hbm::Fidelity::kBank);
  else if (mode == "fast")
    benchStack(hbm::Fidelity::kFast);
  else {
    std::fprintf(stderr, "usage: bench_hbm [core|bank|fast]\n");
    return 2;
  }
  return 0;
}
