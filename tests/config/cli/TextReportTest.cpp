// The human-readable report: values carry a unit and an SI prefix, counts print as whole
// numbers or with a multiplier, and identical consecutive instances print once.
#include <gtest/gtest.h>

#include <sstream>

#include "TextReport.h"

using namespace chipletsim;

TEST(TextReport, PrefixedUnitsChooseTheLargestPrefixBelowTheValue) {
  EXPECT_EQ(formatValue(819.2e9, "B/s"), "819.2 GB/s");
  EXPECT_EQ(formatValue(42.9e-9, "s"), "42.9 ns");
  EXPECT_EQ(formatValue(0.0, "J"), "0 J");
}

TEST(TextReport, WholeCountsBelowAMillionPrintExactly) {
  EXPECT_EQ(formatValue(49152, "count"), "49152");
  EXPECT_EQ(formatValue(100000, "count"), "100000");
  EXPECT_EQ(formatValue(0.5, "count"), "0.5");
}

TEST(TextReport, LargeCountsPrintWithAMultiplierNotAnExponent) {
  EXPECT_EQ(formatValue(70.553e9, "count"), "70.55 G");
  EXPECT_EQ(formatValue(1.137e6, "tokens/s"), "1.137 M tokens/s");
}

TEST(TextReport, OtherUnitsPrintAsTheyAre) {
  EXPECT_EQ(formatValue(0.4753, "1"), "0.4753");
  EXPECT_EQ(formatValue(3.3, "reticles"), "3.3 reticles");
}

namespace {
InstanceSummary stack(const std::string& name, double bandwidth) {
  InstanceSummary s{name, "hbm_stack", {}};
  s.summary.add("peak_bandwidth", bandwidth, "B/s");
  return s;
}
}  // namespace

TEST(TextReport, ConsecutiveIdenticalInstancesPrintOnceAsARange) {
  std::ostringstream os;
  printInstanceSummaries(os, {stack("hbm0", 8e11), stack("hbm1", 8e11), stack("hbm2", 8e11)});
  EXPECT_EQ(os.str(), "  hbm0..hbm2 (hbm_stack)\n    peak_bandwidth                    800 GB/s\n");
}

TEST(TextReport, InstancesThatDifferOrBreakTheNumberingPrintApart) {
  std::ostringstream os;
  printInstanceSummaries(os, {stack("hbm0", 8e11), stack("hbm1", 6e11), stack("hbm3", 6e11)});
  const std::string out = os.str();
  EXPECT_NE(out.find("  hbm0 (hbm_stack)"), std::string::npos) << out;
  EXPECT_NE(out.find("  hbm1 (hbm_stack)"), std::string::npos) << out;
  EXPECT_NE(out.find("  hbm3 (hbm_stack)"), std::string::npos) << out;
}
