// Speed benchmark of the two NoC fidelities (issue 5; not a CTest test):
//   flit mode, 8x8 mesh (configs/platforms/bench/mesh-8x8.yaml), uniform random traffic at
//   0.3 flits/node/cycle: at least 1 million flit-hops per wall-second;
//   transaction mode on the same seeded traffic: at least 100x faster.
// Prints both speeds, their ratio and the difference in mean latency; exits 1 when a target
// is missed. Usage: bench_noc [CONFIG_DIR] (default: the source tree's configs/).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

#include <systemc>

#include "NocBenchSetup.h"
#include "noc/FlitFabric.h"
#include "noc/TransactionFabric.h"
#include "workload/NocTrafficDriver.h"

using namespace chipletsim;

namespace {

constexpr double kFlitHopsPerSecondTarget = 1e6;  // issue 5
constexpr double kSpeedupTarget = 100.0;          // issue 5
constexpr int kRepeats = 3;                       // best of, against machine noise

struct Timing {
  double wallSeconds = 1e30;
  workload::NocTrafficResult result;
  std::uint64_t flitHops = 0;
};

template <class Fabric>
Timing time(const nocBench::Setup& s) {
  Timing t;
  for (int i = 0; i < kRepeats; ++i) {
    Fabric fabric(s.noc);
    workload::NocTrafficDriver driver(fabric, s.traffic);
    const auto start = std::chrono::steady_clock::now();
    t.result = driver.run();
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    t.wallSeconds = std::min(t.wallSeconds, wall);
    if constexpr (std::is_same_v<Fabric, noc::FlitFabric>) t.flitHops = fabric.flitHops();
  }
  return t;
}

}  // namespace

// libsystemc defines main() and calls sc_main(); the fabrics themselves need no kernel.
int sc_main(int argc, char* argv[]) {
  const std::string dir = argc > 1 ? argv[1] : std::string(CHIPLETSIM_SOURCE_DIR) + "/configs";
  bool ok = true;
  // The point (the workload's 4-flit packets), then the same offered load in 1 KiB
  // transfers (32 flits), the size of the platform's DMA and HBM traffic, where the
  // transaction fabric's cost per packet rather than per flit pays off.
  for (const char* flits : {"4", "32"}) {
    const auto setup = nocBench::load(
        dir + "/platforms/bench/mesh-8x8.yaml", dir + "/workloads/traffic/uniform-random.yaml",
        {config::parseSetOverride("workload.injection_rate=0.3"),
         config::parseSetOverride("workload.measure_cycles=20000"),
         config::parseSetOverride(std::string("workload.packet_flits=") + flits)});
    const Timing flit = time<noc::FlitFabric>(setup);
    const Timing txn = time<noc::TransactionFabric>(setup);

    const double hopsPerSecond = static_cast<double>(flit.flitHops) / flit.wallSeconds;
    const double speedup = flit.wallSeconds / txn.wallSeconds;
    const double flitLat = flit.result.latencyCycles.mean();
    const double txnLat = txn.result.latencyCycles.mean();
    std::printf("NoC bench: %s, %s at %.2f flits/node/cycle, %u-flit packets, %llu cycles\n",
                setup.platformName.c_str(), setup.workloadName.c_str(), setup.traffic.injectionRate,
                setup.traffic.packetFlits, static_cast<unsigned long long>(flit.result.cycles));
    std::printf(
        "  flit mode:        %.4f s wall, %llu flit-hops (router traversals), %.3g flit-hops/s"
        " (target >= %.3g)\n",
        flit.wallSeconds, static_cast<unsigned long long>(flit.flitHops), hopsPerSecond,
        kFlitHopsPerSecondTarget);
    std::printf("  transaction mode: %.4f s wall, %llu packets, %.1fx faster (target >= %.0fx)\n",
                txn.wallSeconds, static_cast<unsigned long long>(txn.result.packets), speedup,
                kSpeedupTarget);
    std::printf("  accepted rate:    flit %.4f, transaction %.4f flits/node/cycle\n",
                flit.result.acceptedRate, txn.result.acceptedRate);
    std::printf(
        "  mean latency:     flit %.2f, transaction %.2f cycles (%+.1f%%); p99 %.1f / %.1f\n",
        flitLat, txnLat, 100.0 * (txnLat / flitLat - 1.0),
        flit.result.latencyCycles.percentile(0.99), txn.result.latencyCycles.percentile(0.99));
    const bool pointOk = hopsPerSecond >= kFlitHopsPerSecondTarget && speedup >= kSpeedupTarget;
    std::printf("  %s\n", pointOk ? "PASS" : "FAIL: a speed target is missed");
    ok = ok && pointOk;
  }
  return ok ? 0 : 1;
}
