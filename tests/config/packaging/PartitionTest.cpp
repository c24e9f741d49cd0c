// The partition generator (platforms/Partition.h): each die's area is its share of the
// budget's logic and SRAM plus the PHYs on its edge, the netlist it expands to is the
// ordinary one (costed like any platform), and every limit it checks is an exit-2 error with
// file:line:column and the partition key path. Areas and lengths are checked to 1e-9
// relative (exact arithmetic on the config's figures).
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string>

#include "../cli/Cli.h"
#include "../loader/TestYaml.h"
#include "CostModel.h"
#include "Loading.h"
#include "Partition.h"
#include "config/Loader.h"

namespace chipletsim {
namespace {

using testing::configDir;
using testing::runCli;
using testing::TempDir;

std::string shipped(const std::string& name) {
  return configDir() + "/platforms/" + name + ".yaml";
}

// The shipped budget with `overrides` merged over it (a file including the shipped one).
std::string budgetWith(const TempDir& dir, const std::string& overrides) {
  return dir.write("p.yaml", "include: " + shipped("partition-4die-cowos-s") +
                                 "\nname: p\npartition:\n" + overrides);
}

PartitionPlan planOf(const std::string& file) {
  PartitionPlan plan;
  expandPartition(config::loadFile(file), &plan);
  return plan;
}

void expectRel(double actual, double expected, const char* what) {
  EXPECT_NEAR(actual, expected, 1e-9 * std::fabs(expected)) << what;
}

// UCIe-A module of configs/packaging/cowos-s.yaml: 0.3888 mm wide, 0.976 mm deep.
constexpr double kModuleWidthMm = 0.3888, kModuleDepthMm = 0.976;
// partition-4die-cowos-s.yaml: logic 669.6 + L2 22.65 mm2, HBM PHY 16.64 mm2 and 11 mm per
// stack, 8 mm of D2D edge per die.
constexpr double kLogicMm2 = 669.6 + 22.65, kHbmPhyMm2 = 16.64, kHbmEdgeMm = 11.0, kD2dMm = 8.0;

}  // namespace

TEST(Partition, DieAreaIsItsShareOfLogicPlusTheD2dAndHbmPhysOnItsEdge) {
  const PartitionPlan p = planOf(shipped("partition-4die-cowos-s"));
  ASSERT_EQ(p.dies, 4);
  ASSERT_EQ(p.perDie.size(), 4u);
  // 8 mm over 3 links = 2.667 mm per link: 6 whole modules of 0.3888 mm.
  const int modules = static_cast<int>(std::floor(kD2dMm / 3 / kModuleWidthMm));
  ASSERT_EQ(modules, 6);
  for (const PartitionDie& d : p.perDie) {
    EXPECT_EQ(d.engines, 32);
    EXPECT_EQ(d.hbmStacks, 2);
    EXPECT_EQ(d.d2dLinks, 3);
    EXPECT_EQ(d.modulesPerLink, modules);
    const double d2dArea = 3 * modules * kModuleWidthMm * kModuleDepthMm;
    expectRel(toMm2(d.d2dPhyArea), d2dArea, "D2D PHY area");
    expectRel(toMm2(d.hbmPhyArea), 2 * kHbmPhyMm2, "HBM PHY area");
    expectRel(toMm2(d.area), kLogicMm2 / 4 + d2dArea + 2 * kHbmPhyMm2, "die area");
    expectRel(toMm(d.d2dShoreline), 3 * modules * kModuleWidthMm, "D2D shoreline");
    expectRel(toMm(d.hbmShoreline), 2 * kHbmEdgeMm, "HBM shoreline");
    expectRel(toMm(d.perimeter), 4 * std::sqrt(toMm2(d.area)), "square die perimeter");
  }
  expectRel(toMm2(p.interposerArea), 1.1 * 4 * toMm2(p.perDie[0].area), "1.1 x die area");
}

TEST(Partition, OneDieHasNoD2dAndCarriesEveryStack) {
  const PartitionPlan p = planOf(shipped("partition-1die-cowos-s"));
  ASSERT_EQ(p.perDie.size(), 1u);
  const PartitionDie& d = p.perDie[0];
  EXPECT_EQ(d.d2dLinks, 0);
  EXPECT_EQ(toMm2(d.d2dPhyArea), 0.0);
  EXPECT_EQ(d.hbmStacks, 8);
  expectRel(toMm2(d.area), kLogicMm2 + 8 * kHbmPhyMm2, "monolithic die area");
  EXPECT_LE(toMm2(d.area), 858.0) << "the shipped budget fits one reticle";
}

TEST(Partition, StacksThatDoNotDivideGoToTheFirstDies) {
  TempDir dir;
  const PartitionPlan p =
      planOf(budgetWith(dir, "  dies: 2\n  packaging: emib\n  hbm: {stacks: 5}\n"));
  EXPECT_EQ(p.perDie[0].hbmStacks, 3);
  EXPECT_EQ(p.perDie[1].hbmStacks, 2);
}

TEST(Partition, SharedSramThatDoesNotDivideGivesEachDieWholeBytes) {
  // 96 engines and 6 stacks over 3 dies with 50 MiB of L2: 17476266.67 B each is no byte
  // count; each die gets the whole bytes below its share.
  TempDir dir;
  const PlatformSpec spec = loadPlatform(budgetWith(
      dir, "  dies: 3\n  budget: {engines: 96, shared_sram: 50 MiB}\n  hbm: {stacks: 6}\n"));
  int dies = 0;
  for (const auto& i : spec.instances) dies += i.kind == "compute_chiplet";
  EXPECT_EQ(dies, 3);
}

TEST(Partition, ExpandsToANetlistWhoseEveryDieIsCosted) {
  const PlatformSpec spec = loadPlatform(shipped("partition-4die-cowos-s"));
  int dies = 0, stacks = 0, links = 0;
  for (const auto& i : spec.instances) {
    dies += i.kind == "compute_chiplet";
    stacks += i.kind == "hbm_stack";
    links += i.kind == "d2d_link";
  }
  EXPECT_EQ(dies, 4);
  EXPECT_EQ(stacks, 8);
  EXPECT_EQ(links, 6) << "all-to-all: 4 x 3 / 2";
  ASSERT_TRUE(spec.packaging.has_value());
  EXPECT_EQ(spec.packaging->name, "cowos-s");
  const auto cost = platformPackageCost(spec);
  ASSERT_TRUE(cost.has_value()) << "every generated die has an area and a process node";
  ASSERT_EQ(cost->dies.size(), 4u);
  EXPECT_EQ(cost->bondedChips, 12);
  // configs/cost/hbm.yaml: HBM3 $16.875 per GiB x 16 GiB x 8 stacks.
  expectRel(cost->hbmCost.si(), 8 * 16 * 16.875, "HBM cost");
}

TEST(Partition, SweepsVaryDiesAndPackagingAsOrdinaryKeyPaths) {
  const PlatformSpec spec =
      loadPlatform(shipped("partition-4die-cowos-s"),
                   {config::parseSetOverride("platform.partition.dies=8"),
                    config::parseSetOverride("platform.partition.packaging=cowos-l")});
  int dies = 0;
  for (const auto& i : spec.instances) dies += i.kind == "compute_chiplet";
  EXPECT_EQ(dies, 8);
  EXPECT_EQ(spec.packaging->name, "cowos-l");
}

TEST(PartitionLimits, DieAboveTheReticleIsAnExit2ErrorAtPartitionDies) {
  TempDir dir;
  const std::string file =
      dir.write("big.yaml", "include: " + shipped("partition-4die-cowos-s") +
                                "\nname: big\npartition:\n  budget:\n    logic_area: \"1600 mm2\"\n"
                                "  dies: 1\n");
  const auto r = runCli("validate '" + file + "'");
  EXPECT_EQ(r.status, 2) << r.out << r.err;
  EXPECT_NE(r.err.find(file + ":6:"), std::string::npos) << r.err;  // the `dies: 1` line
  EXPECT_NE(r.err.find("partition.dies"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("exceeds the reticle"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("858 mm2"), std::string::npos) << r.err;
}

TEST(PartitionLimits, PackageAboveTheInterposerLimitIsAnExit2ErrorAtPartitionPackaging) {
  // 4 x ~690 mm2 dies: 1.1 x 2,760 mm2 = 3,036 mm2 > CoWoS-S 3.3 x 830 = 2,739 mm2.
  TempDir dir;
  const std::string file = budgetWith(dir, "  budget:\n    logic_area: \"2600 mm2\"\n");
  const auto r = runCli("validate '" + file + "'");
  EXPECT_EQ(r.status, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("partition.packaging"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("limit of packaging 'cowos-s'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(shipped("partition-4die-cowos-s") + ":"), std::string::npos)
      << "the packaging key is written in the included file: " << r.err;
}

TEST(PartitionLimits, StacksAboveTheHbmSitesAreAnExit2Error) {
  TempDir dir;
  const auto r = runCli("validate '" + budgetWith(dir, "  hbm: {stacks: 12}\n") + "'");
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("12 HBM stacks exceed the 8 sites of packaging 'cowos-s'"),
            std::string::npos)
      << r.err;
}

TEST(PartitionLimits, PackagingWithoutHbmRefusesTheBudgetsStacks) {
  TempDir dir;
  const auto r = runCli("validate '" + budgetWith(dir, "  packaging: organic-substrate\n") + "'");
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("cannot carry HBM"), std::string::npos) << r.err;
}

TEST(PartitionLimits, D2dEdgeTooShortForOneModulePerLinkIsAnErrorAtTheShoreline) {
  TempDir dir;
  const std::string file = budgetWith(dir, "  dies: 8\n  d2d:\n    shoreline: \"2 mm\"\n");
  const auto r = runCli("validate '" + file + "'");
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find(file + ":6:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("partition.d2d.shoreline"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("less than one module"), std::string::npos) << r.err;
}

TEST(PartitionLimits, PhysNeedingMoreEdgeThanTheDieHasAreAnError) {
  // One ~256 mm2 die cannot face 8 HBM stacks of 11 mm each (88 mm > 4 x sqrt(256 mm2) = 64 mm).
  TempDir dir;
  const std::string file = budgetWith(dir, "  budget:\n    logic_area: \"100 mm2\"\n  dies: 1\n");
  const auto r = runCli("validate '" + file + "'");
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("partition.hbm.stacks"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("perimeter"), std::string::npos) << r.err;
}

TEST(PartitionLimits, BudgetThatDoesNotSplitEvenlyIsAnError) {
  TempDir dir;
  const auto r = runCli("validate '" + budgetWith(dir, "  dies: 3\n") + "'");
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("do not split evenly over 3 dies"), std::string::npos) << r.err;
}

TEST(PartitionValidate, ShowsTheDerivedPackage) {
  const auto r = runCli("validate '" + shipped("partition-4die-cowos-s") + "'");
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char* row :
       {"partition (derived package)", "die0-3.area", "die0-3.shoreline_use", "die0-3.reticle_use",
        "interposer_use", "d2d_link_bandwidth_per_direction", "package cost"})
    EXPECT_NE(r.out.find(row), std::string::npos) << row << "\n" << r.out;
}

}  // namespace chipletsim

namespace chipletsim {

// `chipletsim compare` without arguments runs configs/comparisons/default.yaml: every
// platform of it in the table, each costed (generated partitions included), best marked.
TEST(DefaultComparison, RunsWithoutArgumentsAndCostsEveryPlatform) {
  const auto r = testing::runCli("compare");
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char* p : {"h100-like", "partition-1die-cowos-s", "partition-2die-cowos-l",
                        "partition-4die-cowos-s", "partition-8die-emib"})
    EXPECT_NE(r.out.find(p), std::string::npos) << p << "\n" << r.out;
  std::istringstream in(r.out);
  bool costLine = false;
  for (std::string l; std::getline(in, l);) {
    if (l.rfind("package cost ", 0) != 0) continue;
    costLine = true;
    EXPECT_EQ(l.find(" - "), std::string::npos) << "a platform without cost: " << l;
    EXPECT_NE(l.find('*'), std::string::npos) << l;
  }
  EXPECT_TRUE(costLine) << r.out;
}

}  // namespace chipletsim
