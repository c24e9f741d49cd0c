// Fast fidelity against bank fidelity on every shipped bench workload
// (configs/workloads/traffic/{stream-read,stream-write,copy,random-read}.yaml) for every
// shipped generation preset: achieved bandwidth and mean latency within 5% (issue 3).
// One TEST per generation, each its own process: all eight stacks of a generation run in
// one elaboration.
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "HbmConfig.h"
#include "TrafficWorkload.h"
#include "config/Loader.h"
#include "hbm/HbmStack.h"
#include "workload/TrafficGenerator.h"

using namespace chipletsim;

namespace {

std::string cfg(const std::string& rel) {
  return std::string(CHIPLETSIM_SOURCE_DIR) + "/configs/" + rel;
}

void checkGeneration(const std::string& gen) {
  const hbm::HbmSpec bank = decodeHbmSpec(config::loadFile(cfg("memory/" + gen + ".yaml")));
  hbm::HbmSpec fast = bank;
  fast.fidelity = hbm::Fidelity::kFast;
  const std::vector<std::string> loads = {"stream-read", "stream-write", "copy", "random-read"};
  std::vector<std::unique_ptr<hbm::HbmStack>> stacks;
  std::vector<std::unique_ptr<workload::TrafficGenerator>> gens;
  for (const auto& w : loads) {
    workload::MemoryTrafficSpec t =
        decodeMemoryTrafficSpec(config::loadFile(cfg("workloads/traffic/" + w + ".yaml")));
    t.span = static_cast<std::uint64_t>(bank.org.capacity.si());
    for (const hbm::HbmSpec* s : {&bank, static_cast<const hbm::HbmSpec*>(&fast)}) {
      const std::string n = w + (s == &bank ? "_bank" : "_fast");
      stacks.push_back(std::make_unique<hbm::HbmStack>((n + "_hbm").c_str(), *s));
      gens.push_back(std::make_unique<workload::TrafficGenerator>((n + "_gen").c_str(), t));
      gens.back()->out.bind(stacks.back()->in);
    }
  }
  sc_core::sc_start();
  for (std::size_t i = 0; i < loads.size(); ++i) {
    const auto& b = *gens[2 * i];
    const auto& f = *gens[2 * i + 1];
    ASSERT_TRUE(b.finished() && f.finished());
    std::printf("%-6s %-12s bank %7.1f GB/s %7.1f ns | fast %7.1f GB/s %7.1f ns\n", gen.c_str(),
                loads[i].c_str(), b.achievedBandwidth() / 1e9, b.latencyNs().mean(),
                f.achievedBandwidth() / 1e9, f.latencyNs().mean());
    EXPECT_NEAR(f.achievedBandwidth() / b.achievedBandwidth(), 1.0, 0.05) << gen << " " << loads[i];
    EXPECT_NEAR(f.latencyNs().mean() / b.latencyNs().mean(), 1.0, 0.05) << gen << " " << loads[i];
  }
}

}  // namespace

TEST(HbmFastVsBank, Hbm2eWithin5PercentOnEveryBenchWorkload) {
  checkGeneration("hbm2e");
}
TEST(HbmFastVsBank, Hbm3Within5PercentOnEveryBenchWorkload) {
  checkGeneration("hbm3");
}
TEST(HbmFastVsBank, Hbm3eWithin5PercentOnEveryBenchWorkload) {
  checkGeneration("hbm3e");
}
TEST(HbmFastVsBank, Hbm4Within5PercentOnEveryBenchWorkload) {
  checkGeneration("hbm4");
}
