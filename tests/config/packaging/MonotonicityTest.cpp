// Monotonicity rules of the packaging comparison, each design point simulated in its own
// `chipletsim run` process (the SystemC kernel runs once per process):
//   - more D2D bandwidth, all else equal, never lowers throughput;
//   - more HBM stacks never lower it for a memory-bound workload, on one die and on two
//     dies whose engines reach half the stacks through the D2D link.
// "Never lowers" is checked to 0.1 % relative: the simulated step is deterministic, but a
// different stripe of memory over the stacks may move a step by a few transactions.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "../cli/Cli.h"
#include "../loader/TestYaml.h"

namespace chipletsim {
namespace {

using testing::configDir;
using testing::runCli;
using testing::slurp;
using testing::TempDir;

constexpr double kTol = 1e-3;

nlohmann::json runJson(const TempDir& dir, const std::string& platform, const std::string& workload,
                       const std::string& sets) {
  const std::string out = dir.path() + "/r.json";
  const auto r =
      runCli("run '" + configDir() + "/platforms/" + platform + ".yaml' '" + configDir() +
             "/workloads/" + workload + ".yaml' " + sets + " --quiet --json '" + out + "'");
  EXPECT_EQ(r.status, 0) << sets << "\n" << r.err;
  return nlohmann::json::parse(slurp(out), nullptr, false);
}

double tokensPerS(const nlohmann::json& j) {
  return j.is_discarded() ? 0.0 : j["metrics"]["tokens_per_s"].get<double>();
}

}  // namespace

TEST(Monotonicity, MoreD2dBandwidthNeverLowersThroughput) {
  // The 4-die budget on CoWoS-S with 0.25x to 2x its 8 mm of D2D edge per die: 1, 3, 6 and
  // 13 UCIe-A modules per link.
  TempDir dir;
  double last = 0.0, first = 0.0;
  for (const char* mm : {"2 mm", "4 mm", "8 mm", "16 mm"}) {
    const auto j = runJson(dir, "partition-4die-cowos-s", "tiny-llama",
                           std::string("--set 'platform.partition.d2d.shoreline=") + mm + "'");
    const double tps = tokensPerS(j);
    ASSERT_GT(tps, 0.0) << mm;
    EXPECT_GE(tps, last * (1 - kTol)) << "D2D edge " << mm;
    if (first == 0.0) first = tps;
    last = tps;
  }
  EXPECT_GT(last, first) << "the narrowest links bind: widening them must pay off";
}

TEST(Monotonicity, MoreHbmStacksNeverLowerThroughputOfAMemoryBoundStep) {
  // Short sequences make every GEMM skinny: the step streams weights and optimizer state
  // from HBM (checked below), so each stack added is bandwidth the step uses. One die, so
  // that no D2D link stands between the engines and the stacks; 2 to 8 stacks, the HBM
  // sites of CoWoS-S.
  TempDir dir;
  const std::string memoryBound = "--set workload.batch.seq_len=128";
  double last = 0.0, first = 0.0;
  for (int stacks : {2, 4, 6, 8}) {
    const auto j =
        runJson(dir, "partition-1die-cowos-s", "tiny-llama",
                memoryBound + " --set platform.partition.hbm.stacks=" + std::to_string(stacks));
    const double tps = tokensPerS(j);
    ASSERT_GT(tps, 0.0) << stacks;
    if (stacks == 2) {
      const auto& b = j["metrics"]["breakdown_s"];
      EXPECT_GT(b["hbm_bound"].get<double>(), b["compute"].get<double>())
          << "the workload must be memory-bound for this rule";
    }
    EXPECT_GE(tps, last * (1 - kTol)) << stacks << " stacks";
    if (first == 0.0) first = tps;
    last = tps;
  }
  EXPECT_GT(last, first * 2) << "four times the stacks of a memory-bound step must show";
}

TEST(Monotonicity, MoreHbmStacksNeverLowerThroughputAcrossTheD2dLink) {
  // The 128-SM budget as 2 dies on EMIB (up to 12 HBM sites), 4 to 12 stacks, the
  // memory-bound 128-token step: half of every chunk lies behind the D2D link. dma_chunk
  // moves with the stacks so that every stack gets the same 512 KiB stripe of a chunk
  // (configs/sweeps/hbm-stacks.yaml). Each stack adds bandwidth and no resource shrinks, so
  // throughput must not fall; it did (20.0 k tokens/s at 9 stacks, 16.7 k at 11) while the
  // NoC and the D2D link booked bandwidth in call order rather than time order.
  TempDir dir;
  const std::string memoryBound = "--set workload.batch.seq_len=128";
  double last = 0.0, first = 0.0;
  for (int stacks = 4; stacks <= 12; ++stacks) {
    const std::string chunk = std::to_string(stacks / 2) + (stacks % 2 ? ".5" : "") + " MiB";
    const auto j =
        runJson(dir, "partition-2die-emib", "tiny-llama",
                memoryBound + " --set platform.partition.hbm.stacks=" + std::to_string(stacks) +
                    " --set 'platform.partition.budget.dma_chunk=" + chunk + "'");
    const double tps = tokensPerS(j);
    ASSERT_GT(tps, 0.0) << stacks;
    if (stacks == 4) {
      const auto& b = j["metrics"]["breakdown_s"];
      const double memory = b["hbm_bound"].get<double>() + b["d2d_bound"].get<double>();
      EXPECT_GT(memory, b["compute"].get<double>())
          << "the workload must be memory-bound for this rule";
    }
    EXPECT_GE(tps, last * (1 - kTol)) << stacks << " stacks";
    if (first == 0.0) first = tps;
    last = tps;
  }
  EXPECT_GT(last, first * 1.5) << "three times the stacks of a memory-bound step must show";
}

}  // namespace chipletsim
