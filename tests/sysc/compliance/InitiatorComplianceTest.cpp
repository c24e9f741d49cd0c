// Our initiators under the protocol checker: the memory traffic generator (LT: one thread
// per outstanding request; AT: four-phase with many in flight) driving an HBM stack. Every
// base-protocol rule the checker knows must hold on every transaction, and each AT run must
// have exercised the phase rules.

#include <gtest/gtest.h>

#include "ProtocolChecker.h"
#include "hbm/HbmStack.h"
#include "platforms/Embed.h"
#include "workload/TrafficGenerator.h"

namespace chipletsim::test {
namespace {

void runGenerator(workload::TransportStyle style, const char* hbmYaml) {
  workload::MemoryTrafficSpec t;
  t.pattern = workload::MemoryPattern::kRandomRead;
  t.style = style;
  t.readFraction = 0.7;  // a read/write mix: both directions of data
  t.outstanding = 8;
  t.requestBytes = 64;
  t.totalBytes = 256 * 64;
  t.span = 1ull << 30;
  t.seed = 7;
  workload::TrafficGenerator gen("gen", t);
  ProtocolChecker checker("checker");
  hbm::HbmStack hbm("hbm", hbmSpecFromYaml(hbmYaml));
  gen.out.bind(checker.in);
  checker.out.bind(hbm.in);
  sc_core::sc_start(sc_core::sc_time(1, sc_core::SC_MS));
  checker.finish();
  ASSERT_TRUE(gen.finished());
  EXPECT_EQ(gen.errors(), 0u);
  for (int r = 0; r < kRuleCount; ++r)
    for (const std::string& v : checker.violations(static_cast<Rule>(r)))
      ADD_FAILURE() << ruleName(static_cast<Rule>(r)) << ": " << v;
  EXPECT_GT(checker.checks(Rule::kResponseStatus), 0u);
  EXPECT_GT(checker.checks(Rule::kPayloadFields), 0u);
  if (style == workload::TransportStyle::kApproximatelyTimed) {
    EXPECT_GT(checker.checks(Rule::kPhaseSequence), 0u);
    EXPECT_GT(checker.checks(Rule::kRequestExclusion), 0u);
    EXPECT_GT(checker.checks(Rule::kResponseExclusion), 0u);
  }
}

TEST(TrafficGeneratorCompliance, FollowsTheBaseProtocolInLtAgainstHbmBank) {
  runGenerator(workload::TransportStyle::kLooselyTimed, "{preset: hbm3, fidelity: bank}");
}

TEST(TrafficGeneratorCompliance, FollowsTheBaseProtocolInAtAgainstHbmBank) {
  runGenerator(workload::TransportStyle::kApproximatelyTimed, "{preset: hbm3, fidelity: bank}");
}

TEST(TrafficGeneratorCompliance, FollowsTheBaseProtocolInLtAgainstHbmFast) {
  runGenerator(workload::TransportStyle::kLooselyTimed, "{preset: hbm3, fidelity: fast}");
}

TEST(TrafficGeneratorCompliance, FollowsTheBaseProtocolInAtAgainstHbmFast) {
  runGenerator(workload::TransportStyle::kApproximatelyTimed, "{preset: hbm3, fidelity: fast}");
}

}  // namespace
}  // namespace chipletsim::test
