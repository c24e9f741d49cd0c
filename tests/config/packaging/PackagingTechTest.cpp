// The shipped packaging technologies decode, their derived limits match the reference, and
// every limit a technology has is enforced with a ConfigError at the offending node.
#include <gtest/gtest.h>

#include <string>

#include "PackagingTech.h"
#include "config/Loader.h"

namespace chipletsim {
namespace {

config::Node yaml(const std::string& text) {
  return config::parseYaml(text, "test.yaml");
}

PackagingTech tech(const std::string& name) {
  const config::Node n = yaml("packaging: " + name);
  return loadPackagingTech(*n.get("packaging"));
}

template <class F>
std::string configErrorOf(F&& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

const char* const kShipped[] = {
    "monolithic", "organic-substrate", "cowos-s", "cowos-l", "cowos-r", "info", "emib", "soic",
    "nv-hbi"};

TEST(PackagingTech, EveryShippedTechnologyDecodesUnderItsOwnName) {
  for (const char* name : kShipped) {
    const PackagingTech t = tech(name);
    EXPECT_EQ(t.name, name);
    EXPECT_NEAR(toMm2(t.maxArea), toMm2(t.reticleArea) * t.maxReticles, 1e-6);
    if (t.d2d) {
      EXPECT_FALSE(t.dataRates.empty()) << name;
      EXPECT_GT(t.energyAt(t.dataRates.back()).si(), 0.0) << name;
    }
  }
}

// packaging.md 2.1: CoWoS-S 3.3 x the 830 mm2 CoWoS reticle, "~2,700 mm^2" (tolerance 2%).
TEST(PackagingTech, CowosSInterposerLimitIsThreePointThreeReticles) {
  EXPECT_NEAR(toMm2(tech("cowos-s").maxArea), 2700.0, 54.0);
}

// d2d.md 1.2: UCIe energy per bit steps at 16 GT/s: 0.25 -> 0.3 pJ/b advanced, 0.5 -> 0.6
// standard.
TEST(PackagingTech, EnergyPerBitFollowsTheUcieRateBands) {
  EXPECT_DOUBLE_EQ(tech("cowos-s").energyAt(gigabitsPerSecond(16)).si(), 0.25e-12);
  EXPECT_DOUBLE_EQ(tech("cowos-s").energyAt(gigabitsPerSecond(24)).si(), 0.3e-12);
  EXPECT_DOUBLE_EQ(tech("organic-substrate").energyAt(gigabitsPerSecond(8)).si(), 0.5e-12);
  EXPECT_DOUBLE_EQ(tech("organic-substrate").energyAt(gigabitsPerSecond(32)).si(), 0.6e-12);
}

// 6 mm of CoWoS-S shoreline holds 15 UCIe-A modules (0.3888 mm): 15 x 256 GB/s at 32 GT/s.
TEST(PackagingTech, ShorelineGivesWholeModulesAndTheirBandwidth) {
  const config::Node at = yaml("x: 1");
  const ShorelineLink l = tech("cowos-s").linkFromShoreline(millimetres(6), gigabitsPerSecond(32),
                                                            millimetres(26), *at.get("x"));
  EXPECT_EQ(l.modules, 15);
  EXPECT_EQ(l.lanesPerModule, 64);
  EXPECT_NEAR(toGBps(l.rawPerDirection), 15 * 256.0, 1e-6);
  EXPECT_NEAR(toMm(l.shorelineUsed), 15 * 0.3888, 1e-9);
}

// packaging.md 1.7 / 2.2: B200's NV-HBI carries 10 TB/s bidir; 7.8 mm of NV-HBI-class
// shoreline at 32 GT/s gives 20 modules = 10.24 TB/s bidir (tolerance 3%).
TEST(PackagingTech, NvHbiShorelineReachesTheB200Bandwidth) {
  const config::Node at = yaml("x: 1");
  const ShorelineLink l = tech("nv-hbi").linkFromShoreline(millimetres(7.8), gigabitsPerSecond(32),
                                                           Length(0.0), *at.get("x"));
  EXPECT_NEAR(2.0 * l.rawPerDirection.si() / 10e12, 1.0, 0.03);
}

TEST(PackagingTech, LinkLongerThanReachIsRejected) {
  const config::Node at = yaml("channel_length: 3 mm");
  const std::string msg =
      configErrorOf([&] { tech("cowos-s").checkReach(millimetres(3), *at.get("channel_length")); });
  EXPECT_NE(msg.find("exceeds the reach"), std::string::npos) << msg;
  EXPECT_NE(msg.find("test.yaml:1:"), std::string::npos) << msg;
  EXPECT_EQ(configErrorOf([&] {
              tech("organic-substrate").checkReach(millimetres(25), *at.get("channel_length"));
            }),
            "");
}

TEST(PackagingTech, ShorelineLongerThanTheDieEdgeIsRejected) {
  const config::Node at = yaml("shoreline: 30 mm");
  const std::string msg = configErrorOf([&] {
    tech("cowos-s").linkFromShoreline(millimetres(30), gigabitsPerSecond(32), millimetres(26),
                                      *at.get("shoreline"));
  });
  EXPECT_NE(msg.find("more than the die edge"), std::string::npos) << msg;
}

TEST(PackagingTech, ShorelineShorterThanOneModuleIsRejected) {
  const config::Node at = yaml("shoreline: 0.3 mm");
  const std::string msg = configErrorOf([&] {
    tech("organic-substrate")
        .linkFromShoreline(millimetres(0.3), gigabitsPerSecond(16), Length(0.0),
                           *at.get("shoreline"));
  });
  EXPECT_NE(msg.find("holds no module"), std::string::npos) << msg;
}

TEST(PackagingTech, UnsupportedDataRateIsRejected) {
  const config::Node at = yaml("data_rate: 20 GT/s");
  std::string msg = configErrorOf(
      [&] { tech("cowos-s").checkDataRate(gigabitsPerSecond(20), *at.get("data_rate")); });
  EXPECT_NE(msg.find("does not support 20 GT/s"), std::string::npos) << msg;
  msg = configErrorOf(
      [&] { tech("soic").checkDataRate(gigabitsPerSecond(8), *at.get("data_rate")); });
  EXPECT_NE(msg.find("does not support 8 GT/s"), std::string::npos) << msg;
}

TEST(PackagingTech, DieToDieLinkOnMonolithicIsRejected) {
  const config::Node at = yaml("data_rate: 16 GT/s");
  const std::string msg = configErrorOf(
      [&] { tech("monolithic").checkDataRate(gigabitsPerSecond(16), *at.get("data_rate")); });
  EXPECT_NE(msg.find("no die-to-die links"), std::string::npos) << msg;
}

TEST(PackagingTech, HbmOnASubstrateThatCannotCarryItIsRejected) {
  const config::Node at = yaml("hbm_stacks: 4");
  for (const char* name : {"organic-substrate", "info", "soic"}) {
    const std::string msg = configErrorOf([&] { tech(name).checkHbm(4, *at.get("hbm_stacks")); });
    EXPECT_NE(msg.find("cannot carry HBM"), std::string::npos) << name << ": " << msg;
  }
  EXPECT_EQ(configErrorOf([&] { tech("organic-substrate").checkHbm(0, *at.get("hbm_stacks")); }),
            "");
}

// packaging.md 2.2: 8 stacks on CoWoS-S (MI300X), 6 beside a monolithic die (H100/H200).
TEST(PackagingTech, MoreHbmStacksThanSitesIsRejected) {
  const config::Node at = yaml("hbm_stacks: 9");
  EXPECT_EQ(configErrorOf([&] { tech("cowos-s").checkHbm(8, *at.get("hbm_stacks")); }), "");
  std::string msg = configErrorOf([&] { tech("cowos-s").checkHbm(9, *at.get("hbm_stacks")); });
  EXPECT_NE(msg.find("9 HBM stacks exceed the 8 sites"), std::string::npos) << msg;
  msg = configErrorOf([&] { tech("monolithic").checkHbm(7, *at.get("hbm_stacks")); });
  EXPECT_NE(msg.find("exceed the 6 sites"), std::string::npos) << msg;
}

TEST(PackagingTech, InterposerLargerThanTheTechnologyAllowsIsRejected) {
  const config::Node at = yaml("interposer_area: 3000 mm2");
  EXPECT_EQ(configErrorOf([&] {
              tech("cowos-s").checkInterposerArea(squareMillimetres(2700),
                                                  *at.get("interposer_area"));
            }),
            "");
  const std::string msg = configErrorOf([&] {
    tech("cowos-s").checkInterposerArea(squareMillimetres(3000), *at.get("interposer_area"));
  });
  EXPECT_NE(msg.find("exceeds the 3.3 reticle"), std::string::npos) << msg;
}

TEST(PackagingTech, HbmSitesOnATechnologyWithoutHbmIsAConfigError) {
  const config::Node n = yaml(
      "name: x\nd2d: false\nreticle_area: 858 mm2\nmax_reticles: 1\nhbm_attach: false\n"
      "max_hbm_sites: 2\ndefect_density: 0 /cm2\nyield_alpha: 1\nbonding_yield: 1\n"
      "interposer_area_factor: 1\ncost_per_mm2: $0\n");
  EXPECT_NE(configErrorOf([&] { decodePackagingTech(n); }).find("max_hbm_sites"),
            std::string::npos);
}

}  // namespace
}  // namespace chipletsim

namespace chipletsim {
namespace {

// d2d.md 1.2 KPI table from the shipped presets: UCIe-S (organic-substrate) 28 -> 224 and
// UCIe-A (cowos-s) 165 -> 1317 GB/s/mm bidir at 4 -> 32 GT/s; the table rounds to whole
// GB/s/mm (tolerance 0.5).
TEST(PackagingTech, ShippedPresetsReproduceTheUcieShorelineKpis) {
  const PackagingTech s = tech("organic-substrate");
  const PackagingTech a = tech("cowos-s");
  const double kGBpsPerMm = 1e9 / 1e-3;
  EXPECT_NEAR(s.geometry().bidirectionalDensity(s.dataRates.front()) / kGBpsPerMm, 28.0, 0.5);
  EXPECT_NEAR(s.geometry().bidirectionalDensity(s.dataRates.back()) / kGBpsPerMm, 224.0, 0.5);
  EXPECT_NEAR(a.geometry().bidirectionalDensity(a.dataRates.front()) / kGBpsPerMm, 165.0, 0.5);
  EXPECT_NEAR(a.geometry().bidirectionalDensity(a.dataRates.back()) / kGBpsPerMm, 1317.0, 0.5);
  EXPECT_DOUBLE_EQ(s.dataRates.front().si(), 4e9);
  EXPECT_DOUBLE_EQ(a.dataRates.back().si(), 32e9);
}

}  // namespace
}  // namespace chipletsim
