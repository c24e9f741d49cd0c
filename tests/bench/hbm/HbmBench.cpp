// Speed benchmark of the HBM model (not a CTest test). Targets (issue 3):
//   bank fidelity >= 3 M 64-byte requests per wall-second on one core;
//   fast fidelity >= 1 TB of simulated traffic per wall-second at 1 MiB transactions.
// Usage: bench_hbm core [REQUESTS]            plain controller, sequential and random 64 B
//        bench_hbm bank|bankseq [MIB]         random / sequential 64 B reads through the full
//                                             SystemC path (traffic generator -> HbmStack, AT)
//        bench_hbm bankwrite|bankcopy [MIB]   sequential 64 B writes / copy (half reads), AT
//        bench_hbm <any of these>lt [MIB]     the same through b_transport (LT)
//        bench_hbm fast [GIB]                 fast fidelity, 1 MiB LT transactions
// One SystemC elaboration per process, so one stack mode per run.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
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

void benchCore(std::uint64_t requests) {
  const hbm::HbmSpec spec = hbm::test::hbm3Spec();
  for (bool sequential : {true, false}) {
    hbm::AccessPattern p;
    p.sequential = sequential;
    p.requestBytes = 64;
    p.outstanding = 32;
    p.requests = requests;
    const auto t0 = std::chrono::steady_clock::now();
    const std::clock_t c0 = std::clock();
    const hbm::PatternResult r = hbm::PatternRunner(spec).run(p);
    const double wall = seconds(t0), cpu = cpuSeconds(c0);
    std::printf("core  %-10s 64 B: %.2f M requests/wall-s, %.2f M/cpu-s (efficiency %.3f)\n",
                sequential ? "sequential" : "random", p.requests / wall / 1e6,
                p.requests / cpu / 1e6, r.efficiency);
  }
}

void benchStack(hbm::Fidelity fidelity, workload::MemoryPattern pattern, bool lt,
                std::uint64_t totalBytes) {
  hbm::HbmSpec spec = hbm::test::hbm3Spec();
  spec.fidelity = fidelity;
  workload::MemoryTrafficSpec t;
  const bool bank = fidelity == hbm::Fidelity::kBank;
  t.pattern = pattern;
  t.readFraction = pattern == workload::MemoryPattern::kCopy ? 0.5 : 1.0;
  t.requestBytes = bank ? 64 : (1u << 20);
  t.outstanding = bank ? (lt ? 256 : 1024) : 4;
  t.totalBytes = totalBytes;
  t.style =
      lt ? workload::TransportStyle::kLooselyTimed : workload::TransportStyle::kApproximatelyTimed;
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
  std::printf(
      "stack %s %s %s (%s, %d in flight): %.2f %s/wall-s, %.2f per cpu-s, %.1f GB/s "
      "simulated, mean latency %.1f ns\n",
      bank ? "bank" : "fast", workload::toString(pattern), bank ? "64 B" : "1 MiB",
      lt ? "LT" : "AT", t.outstanding, perWall, bank ? "M requests" : "TB simulated", perCpu,
      gen.achievedBandwidth() / 1e9, stack.latencyNs().mean());
}

}  // namespace

int sc_main(int argc, char* argv[]) {
  const std::string mode = argc > 1 ? argv[1] : "core";
  const std::uint64_t n = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 0;
  // Bank-fidelity stack modes: pattern, then "lt" for b_transport.
  const std::map<std::string, workload::MemoryPattern> patterns = {
      {"bank", workload::MemoryPattern::kRandomRead},
      {"bankseq", workload::MemoryPattern::kStreamRead},
      {"bankwrite", workload::MemoryPattern::kStreamWrite},
      {"bankcopy", workload::MemoryPattern::kCopy}};
  const bool lt = mode.size() > 2 && mode.compare(mode.size() - 2, 2, "lt") == 0;
  const std::string base = lt ? mode.substr(0, mode.size() - 2) : mode;
  if (mode == "core")
    benchCore(n ? n : 1000000);
  else if (patterns.count(base))
    benchStack(hbm::Fidelity::kBank, patterns.at(base), lt, (n ? n : 64) << 20);
  else if (mode == "fast")
    benchStack(hbm::Fidelity::kFast, workload::MemoryPattern::kStreamRead, true,
               (n ? n : 1024) << 30);
  else {
    std::fprintf(stderr,
                 "usage: bench_hbm core|bank|bankseq|bankwrite|bankcopy[lt]|fast [amount]\n");
    return 2;
  }
  return 0;
}
