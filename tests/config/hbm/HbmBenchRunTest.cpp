// The shipped bench platform and traffic workloads run end to end through the platform
// layer (one simulation per test process) and report the traffic metrics of DESIGN.md.
#include <gtest/gtest.h>

#include <string>

#include "Loading.h"
#include "Simulation.h"

using namespace chipletsim;

namespace {
std::string cfg(const std::string& rel) {
  return std::string(CHIPLETSIM_SOURCE_DIR) + "/configs/" + rel;
}
}  // namespace

TEST(HbmBench, StreamReadOnHbm3BenchReaches88To96PercentOfPeak) {
  const PlatformSpec p = loadPlatform(cfg("platforms/bench/hbm-hbm3.yaml"));
  const LoadedWorkload w = loadWorkload(cfg("workloads/traffic/stream-read.yaml"));
  const SimulationResult r = simulate(p, w);
  // Peak is the preset's pin rate x width / 8 = 819.2 GB/s (hbm.md 3.1).
  EXPECT_NEAR(r.metrics.value("peak_bytes_per_s")->value, 819.2e9, 1e-3);
  const double eff = r.metrics.value("efficiency")->value;
  EXPECT_GE(eff, 0.88);
  EXPECT_LE(eff, 0.96);
  ASSERT_NE(r.metrics.lookup("latency_ns.p99"), nullptr);
  ASSERT_EQ(r.fidelity.size(), 1u);
  EXPECT_EQ(r.fidelity[0].second, "bank");
}

TEST(HbmBench, FastFidelityOverrideIsReportedInResults) {
  PlatformSpec p =
      loadPlatform(cfg("platforms/bench/hbm-hbm3.yaml"),
                   {config::parseSetOverride("platform.instances.hbm0.fidelity=fast")});
  const LoadedWorkload w = loadWorkload(cfg("workloads/traffic/random-read.yaml"));
  const SimulationResult r = simulate(p, w);
  ASSERT_EQ(r.fidelity.size(), 1u);
  EXPECT_EQ(r.fidelity[0].second, "fast");
  // Random 64 B reads are activate-bound: far below the streaming band.
  EXPECT_LT(r.metrics.value("efficiency")->value, 0.5);
  EXPECT_GT(r.metrics.value("efficiency")->value, 0.1);
}
