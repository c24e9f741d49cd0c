// Speed benchmark of the HBM model (not a CTest test). Targets (issue 3):
//   bank fidelity >= 3 M 64-byte requests per wall-second on one core;
//   fast fidelity >= 1 TB of simulated traffic per wall-second at 1 MiB transactions.
// Usage: bench_hbm [core|bank|bankseq|fast]   (one SystemC elaboration per process)
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
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

// CPU seconds of this process since `c0`: on a shared machine wall time includes waiting
// for the core, so both are printed.
double cpuSeconds(std::clock_t c0) {
  return static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
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
    const std::clock_t c0 = std::clock();
    const hbm::PatternResult r = hbm::PatternRunner(spec).run(p);
    const double wall = seconds(t0), cpu = cpuSeconds(c0);
    std::printf("core  %-10s 64 B: %.2f M requests/wall-s, %.2f M/cpu-s (efficiency %.3f)\n",
                sequential ? "sequential" : "random", p.requests / wall / 1e6,
                p.requests / cpu / 1e6, r.efficiency);
  }
}

void benchStack(hbm::Fidelity fidelity, bool sequential = false) {
  hbm::HbmSpec spec = hbm::test::hbm3Spec();
  spec.fidelity = fidelity;
  workload::MemoryTrafficSpec t;
  const bool bank = fidelity == hbm::Fidelity::kBank;
  t.pattern = bank && !sequential ? workload::MemoryPattern::kRandomRead
                                  : workload::MemoryPattern::kStreamRead;
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
  const std::clock_t c0 = std::clock();
  sc_core::sc_start();
  const double wall = seconds(t0), cpu = cpuSeconds(c0);
  const double perWall = bank ? gen.transactions() / wall / 1e6 : gen.bytes() / wall / 1e12;
  const double perCpu = bank ? gen.transactions() / cpu / 1e6 : gen.bytes() / cpu / 1e12;
  std::printf("stack %s: %.2f %s/wall-s, %.2f per cpu-s, %.1f GB/s simulated\n",
              !bank        ? "fast stream-read 1 MiB (LT, 4 in flight)"
              : sequential ? "bank stream-read 64 B (AT, 1024 in flight)"
                           : "bank random-read 64 B (AT, 1024 in flight)",
              perWall, bank ? "M requests" : "TB simulated", perCpu, gen.achievedBandwidth() / 1e9);
}

}  // namespace

int sc_main(int argc, char* argv[]) {
  const std::string mode = argc > 1 ? argv[1] : "core";
  if (mode == "core")
    benchCore();
  else if (mode == "bank")
    benchStack(hbm::Fidelity::kBank);
  else if (mode == "bankseq")
    benchStack(hbm::Fidelity::kBank, true);
  else if (mode == "fast")
    benchStack(hbm::Fidelity::kFast);
  else {
    std::fprintf(stderr, "usage: bench_hbm [core|bank|bankseq|fast]\n");
    return 2;
  }
  return 0;
}
