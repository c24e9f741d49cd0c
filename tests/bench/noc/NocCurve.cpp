// The latency-throughput curve of a NoC, one line per point of a sweep file whose axes vary
// the noc_traffic workload (configs/sweeps/noc-injection.yaml), in both fidelities, as CSV:
//   offered, accepted (flits/node/cycle), latency mean/p50/p99 (cycles), for flit and
//   transaction mode, the transaction-vs-flit difference of the mean, and the unfinished
//   measured packets (non-zero: past saturation).
// Runs the plain-C++ fabrics in one process. Usage: noc_curve SWEEP.yaml
#include <cstdio>
#include <exception>

#include <systemc>

#include "NocBenchSetup.h"
#include "Sweep.h"
#include "common/Errors.h"
#include "noc/FlitFabric.h"
#include "noc/TransactionFabric.h"
#include "workload/NocTrafficDriver.h"

using namespace chipletsim;

// libsystemc defines main() and calls sc_main(); the fabrics themselves need no kernel.
int sc_main(int argc, char* argv[]) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: noc_curve SWEEP.yaml\n");
    return 2;
  }
  try {
    const SweepSpec sweep = loadSweep(argv[1]);
    std::printf(
        "point,offered,flit_accepted,flit_mean,flit_p50,flit_p99,flit_unfinished,"
        "txn_accepted,txn_mean,txn_p50,txn_p99,txn_unfinished,txn_vs_flit_mean_pct\n");
    for (const SweepPoint& p : sweep.points) {
      const nocBench::Setup s = nocBench::load(p.platformFile, p.workloadFile, p.sets);
      noc::FlitFabric flitFabric(s.noc);
      const auto f = workload::NocTrafficDriver(flitFabric, s.traffic).run();
      noc::TransactionFabric txnFabric(s.noc);
      const auto t = workload::NocTrafficDriver(txnFabric, s.traffic).run();
      std::printf("\"%s\",%.4f,%.4f,%.2f,%.2f,%.2f,%llu,%.4f,%.2f,%.2f,%.2f,%llu,%+.1f\n",
                  p.name.c_str(), f.offeredRate, f.acceptedRate, f.latencyCycles.mean(),
                  f.latencyCycles.percentile(0.5), f.latencyCycles.percentile(0.99),
                  static_cast<unsigned long long>(f.unfinished), t.acceptedRate,
                  t.latencyCycles.mean(), t.latencyCycles.percentile(0.5),
                  t.latencyCycles.percentile(0.99), static_cast<unsigned long long>(t.unfinished),
                  100.0 * (t.latencyCycles.mean() / f.latencyCycles.mean() - 1.0));
      std::fflush(stdout);
    }
  } catch (const ConfigError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "internal error: %s\n", e.what());
    return 3;
  }
  return 0;
}
