// The latency-throughput curve of a NoC, one line per point of a sweep file whose axes vary
// the noc_traffic workload (configs/sweeps/noc-injection.yaml), in both fidelities, as CSV:
//   offered, accepted (flits/node/cycle), latency mean/p50/p99 (cycles), for flit and
//   transaction mode, the transaction-vs-flit difference of the mean, and the unfinished
//   measured packets (non-zero: past saturation); then the transaction fabric again with its
//   link efficiency calibrated from the flit fabric (workload/NocCalibration.h).
// Runs the plain-C++ fabrics in one process. Usage: noc_curve SWEEP.yaml
#include <cstdio>
#include <exception>
#include <map>
#include <string>

#include <systemc>

#include "NocBenchSetup.h"
#include "Sweep.h"
#include "common/Errors.h"
#include "noc/FlitFabric.h"
#include "noc/TransactionFabric.h"
#include "workload/NocCalibration.h"
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
        "txn_accepted,txn_mean,txn_p50,txn_p99,txn_unfinished,txn_vs_flit_mean_pct,"
        "link_efficiency,cal_accepted,cal_mean,cal_vs_flit_mean_pct\n");
    std::map<std::string, double> efficiency;  // by platform, pattern and packet size
    for (const SweepPoint& p : sweep.points) {
      const nocBench::Setup s = nocBench::load(p.platformFile, p.workloadFile, p.sets);
      noc::FlitFabric flitFabric(s.noc);
      const auto f = workload::NocTrafficDriver(flitFabric, s.traffic).run();
      noc::TransactionFabric txnFabric(s.noc);
      const auto t = workload::NocTrafficDriver(txnFabric, s.traffic).run();
      const std::string key = s.platformName + "/" + workload::nocPatternName(s.traffic.pattern) +
                              "/" + std::to_string(s.traffic.packetFlits);
      if (!efficiency.count(key))
        efficiency[key] = workload::calibrateLinkEfficiency(s.noc, s.traffic).linkEfficiency;
      noc::TransactionFabric calFabric(s.noc, efficiency[key]);
      const auto c = workload::NocTrafficDriver(calFabric, s.traffic).run();
      std::printf("\"%s\",%.4f,%.4f,%.2f,%.2f,%.2f,%llu,%.4f,%.2f,%.2f,%.2f,%llu,%+.1f,",
                  p.name.c_str(), f.offeredRate, f.acceptedRate, f.latencyCycles.mean(),
                  f.latencyCycles.percentile(0.5), f.latencyCycles.percentile(0.99),
                  static_cast<unsigned long long>(f.unfinished), t.acceptedRate,
                  t.latencyCycles.mean(), t.latencyCycles.percentile(0.5),
                  t.latencyCycles.percentile(0.99), static_cast<unsigned long long>(t.unfinished),
                  100.0 * (t.latencyCycles.mean() / f.latencyCycles.mean() - 1.0));
      std::printf("%.4f,%.4f,%.2f,%+.1f\n", efficiency[key], c.acceptedRate, c.latencyCycles.mean(),
                  100.0 * (c.latencyCycles.mean() / f.latencyCycles.mean() - 1.0));
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
