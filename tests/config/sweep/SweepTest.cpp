// Sweep expansion: grids are full cartesian products in a fixed order, zip axes move
// together, variants are taken as listed, and malformed sweeps are rejected.
#include <gtest/gtest.h>

#include "../loader/TestYaml.h"
#include "Sweep.h"

using namespace chipletsim;
using chipletsim::testing::configErrorOf;
using chipletsim::testing::yaml;

namespace {
SweepSpec sweep(const std::string& text) {
  return decodeSweep(config::parseYaml(text, "/cfg/sweeps/s.yaml"), "/cfg/sweeps/s.yaml");
}
const char* kHead = "name: s\nplatform: ../platforms/p.yaml\nworkload: ../workloads/w.yaml\n";
}  // namespace

TEST(SweepGrid, PointCountIsTheProductOfAxisLengths) {
  const auto s =
      sweep(std::string(kHead) +
            "axes:\n"
            "  - {key: platform.instances.h.pin_rate, values: [4.8 Gb/s, 6.4 Gb/s, 8 Gb/s]}\n"
            "  - {key: workload.outstanding, values: [8, 16, 32, 64]}\n");
  ASSERT_EQ(s.points.size(), 12u);
  EXPECT_EQ(s.points.front().name, "h.pin_rate=4.8 Gb/s,outstanding=8");
  EXPECT_EQ(s.points[1].name, "h.pin_rate=4.8 Gb/s,outstanding=16");  // last axis fastest
  EXPECT_EQ(s.points.back().name, "h.pin_rate=8 Gb/s,outstanding=64");
  EXPECT_EQ(s.points.front().platformFile, "/cfg/platforms/p.yaml");
  ASSERT_EQ(s.points[6].sets.size(), 2u);
  EXPECT_EQ(s.points[6].sets[0].scope, "platform");
  EXPECT_EQ(s.points[6].sets[1].value.text(), "32");  // (1, 2) in mixed radix
}

TEST(SweepGrid, ZipAxesMoveTogether) {
  const auto s = sweep(std::string(kHead) +
                       "axes:\n"
                       "  - zip:\n"
                       "      - {key: workload.a, values: [1, 2, 3]}\n"
                       "      - {key: workload.b, values: [x, y, z]}\n"
                       "  - {key: workload.c, values: [p, q]}\n");
  ASSERT_EQ(s.points.size(), 6u);
  EXPECT_EQ(s.points[2].name, "a=2,b=y,c=p");
}

TEST(SweepGrid, ZipAxesOfDifferentLengthsAreRejected) {
  const auto msg = configErrorOf([] {
    sweep(std::string(kHead) +
          "axes:\n  - zip:\n      - {key: workload.a, values: [1, 2]}\n"
          "      - {key: workload.b, values: [x]}\n");
  });
  EXPECT_NE(msg.find("same number of values"), std::string::npos) << msg;
}

TEST(SweepVariants, AreTakenAsListedWithTheirOwnFiles) {
  const auto s = sweep(std::string(kHead) +
                       "variants:\n"
                       "  - {name: base}\n"
                       "  - {name: other, platform: ../platforms/q.yaml, set: {workload.x: 3}}\n");
  ASSERT_EQ(s.points.size(), 2u);
  EXPECT_EQ(s.points[1].platformFile, "/cfg/platforms/q.yaml");
  EXPECT_EQ(s.points[1].varied.at(0).first, "workload.x");
}

TEST(SweepRules, NeedsExactlyOneOfAxesOrVariants) {
  EXPECT_NE(configErrorOf([] { sweep(kHead); }).find("exactly one of"), std::string::npos);
}

TEST(SweepRules, BadKeyPathIsRejectedAtItsLine) {
  const auto msg =
      configErrorOf([] { sweep(std::string(kHead) + "axes:\n  - {key: plat.x, values: [1]}\n"); });
  EXPECT_NE(msg.find("s.yaml:5:"), std::string::npos) << msg;
}

TEST(SweepRules, DuplicateVariantNamesAreRejected) {
  const auto msg = configErrorOf(
      [] { sweep(std::string(kHead) + "variants:\n  - {name: a}\n  - {name: a}\n"); });
  EXPECT_NE(msg.find("duplicate variant name"), std::string::npos) << msg;
}

TEST(SweepRules, AKeySweptByTwoAxesIsRejectedAtTheSecond) {
  // The later axis silently won: a grid of 2 points that were one point twice.
  const auto msg = configErrorOf([] {
    sweep(std::string(kHead) +
          "axes:\n  - {key: workload.a, values: [1, 2]}\n"
          "  - zip:\n      - {key: workload.b, values: [x]}\n"
          "      - {key: workload.a, values: [3]}\n");
  });
  EXPECT_NE(msg.find("s.yaml:8:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'workload.a' is swept twice (also at line 5)"), std::string::npos) << msg;
}

TEST(SweepRules, ANameWithASlashIsRejectedForItNamesTheOutputFolder) {
  // `name: ../../x` made the default output folder sweep-../../x, two levels up.
  const auto msg = configErrorOf([] {
    sweep(
        "name: ../../x\nplatform: ../platforms/p.yaml\nworkload: ../workloads/w.yaml\n"
        "axes:\n  - {key: workload.a, values: [1]}\n");
  });
  EXPECT_NE(msg.find("s.yaml:1:7: error: key 'name': expected a non-empty name without '/'"),
            std::string::npos)
      << msg;
}
