// Raw bandwidth, lane repair and shoreline density of UCIe-class links, checked against the
// spec figures of shared/reference/d2d.md sec.1.2.
#include <gtest/gtest.h>

#include "common/Errors.h"
#include "d2d/D2dLinkSpec.h"
#include "d2d/ModuleGeometry.h"

namespace chipletsim::d2d {
namespace {

D2dLinkSpec ucieA(int modules, double gtps) {
  D2dLinkSpec s;
  s.modules = modules;
  s.lanesPerModule = 64;
  s.redundantLanesPerModule = 4;
  s.dataRate = gigabitsPerSecond(gtps);
  s.rxBufferBytes = 4096;
  return s;
}

// d2d.md 1.2 [D]: per-direction bandwidth per module = lanes x rate / 8.
TEST(D2dLinkSpec, RawBandwidthIsLanesTimesRateOverEightPerModule) {
  EXPECT_NEAR(toGBps(ucieA(1, 32).rawBandwidth()), 256.0, 1e-9);  // UCIe-A x64 @ 32 GT/s
  EXPECT_NEAR(toGBps(ucieA(1, 4).rawBandwidth()), 32.0, 1e-9);
  EXPECT_NEAR(toGBps(ucieA(4, 16).rawBandwidth()), 4 * 128.0, 1e-9);
  D2dLinkSpec s = ucieA(1, 32);
  s.lanesPerModule = 16;  // UCIe-S x16
  s.redundantLanesPerModule = 0;
  EXPECT_NEAR(toGBps(s.rawBandwidth()), 64.0, 1e-9);
}

// d2d.md 1.3: 64/68 for the 68 B flit, 236/256 for the 256 B flits, 100% raw.
TEST(D2dLinkSpec, EffectiveBandwidthIsRawTimesFramingEfficiency) {
  D2dLinkSpec s = ucieA(1, 32);
  s.flitFormat = FlitFormat::kFlit68;
  EXPECT_NEAR(s.effectiveBandwidth() / s.rawBandwidth(), 64.0 / 68.0, 1e-12);
  s.flitFormat = FlitFormat::kStandard256;
  EXPECT_NEAR(s.effectiveBandwidth() / s.rawBandwidth(), 236.0 / 256.0, 1e-12);
  s.flitFormat = FlitFormat::kLatencyOptimised256;
  EXPECT_NEAR(s.effectiveBandwidth() / s.rawBandwidth(), 236.0 / 256.0, 1e-12);
  s.flitFormat = FlitFormat::kRaw;
  EXPECT_DOUBLE_EQ(s.effectiveBandwidth() / s.rawBandwidth(), 1.0);
}

// UCIe-A carries 4 spare lanes per module: up to 4 failures are repaired at full width,
// more degrade the module to half width, and a module that cannot keep half is down.
TEST(D2dLinkSpec, LaneRepairKeepsFullWidthUntilSparesRunOutThenHalves) {
  D2dLinkSpec s = ucieA(1, 32);
  s.failedLanes = 4;
  EXPECT_FALSE(s.degraded());
  EXPECT_NEAR(toGBps(s.rawBandwidth()), 256.0, 1e-9);
  s.failedLanes = 5;
  EXPECT_TRUE(s.degraded());
  EXPECT_NEAR(toGBps(s.rawBandwidth()), 128.0, 1e-9);
  s.failedLanes = 36;  // 68 - 36 = 32 working: still half width
  EXPECT_NEAR(toGBps(s.rawBandwidth()), 128.0, 1e-9);
  s.failedLanes = 37;
  EXPECT_THROW(s.validate(), SpecError);
}

// Flight = L sqrt(eps_r) / c: 10 mm in eps_r 4 is 2 x 10 mm / c = 66.7 ps.
TEST(D2dLinkSpec, FlightTimeIsLengthTimesSqrtPermittivityOverC) {
  D2dLinkSpec s = ucieA(1, 32);
  s.channelLength = millimetres(10);
  s.dielectricConstant = 4.0;
  EXPECT_NEAR(s.flightTime().si(), 0.02 / 299792458.0, 1e-18);
  s.adapterPhyLatency = nanoseconds(1);
  EXPECT_NEAR(s.oneWayLatency().si(), 2e-9 + 0.02 / 299792458.0, 1e-18);
}

// d2d.md 1.2 KPI table: shoreline density (bidir) 28 -> 224 GB/s/mm for UCIe-S and
// 165 -> 1317 GB/s/mm for UCIe-A from 4 to 32 GT/s, with module widths 0.5715 mm (x16) and
// 0.3888 mm (x64) from the nanocad-lab cost model (d2d.md 1.2 derived module geometry).
// The table rounds to whole GB/s/mm: tolerance 0.5 GB/s/mm.
TEST(ModuleGeometry, ShorelineDensityReproducesUcieKpiTable) {
  const ModuleGeometry standard{16, millimetres(0.5715)};
  const ModuleGeometry advanced{64, millimetres(0.3888)};
  const double kGBpsPerMm = 1e9 / 1e-3;
  EXPECT_NEAR(standard.bidirectionalDensity(gigabitsPerSecond(4)) / kGBpsPerMm, 28.0, 0.5);
  EXPECT_NEAR(standard.bidirectionalDensity(gigabitsPerSecond(32)) / kGBpsPerMm, 224.0, 0.5);
  EXPECT_NEAR(advanced.bidirectionalDensity(gigabitsPerSecond(4)) / kGBpsPerMm, 165.0, 0.5);
  EXPECT_NEAR(advanced.bidirectionalDensity(gigabitsPerSecond(32)) / kGBpsPerMm, 1317.0, 0.5);
  // The spec's range is a pure data-rate sweep: density scales linearly through 8-24 GT/s.
  for (double rate : {8.0, 12.0, 16.0, 24.0}) {
    EXPECT_NEAR(advanced.bidirectionalDensity(gigabitsPerSecond(rate)) / kGBpsPerMm,
                1317.0 * rate / 32.0, 0.5 * rate / 32.0 + 0.2);
    EXPECT_NEAR(standard.bidirectionalDensity(gigabitsPerSecond(rate)) / kGBpsPerMm,
                224.0 * rate / 32.0, 0.5);
  }
}

TEST(ModuleGeometry, ShorelineHoldsWholeModulesOnly) {
  const ModuleGeometry advanced{64, millimetres(0.3888)};
  EXPECT_EQ(advanced.modulesIn(millimetres(6.0)), 15);  // 6 / 0.3888 = 15.4
  EXPECT_EQ(advanced.modulesIn(millimetres(3 * 0.3888)), 3);
  EXPECT_EQ(advanced.modulesIn(millimetres(0.3)), 0);
  EXPECT_NEAR(toGBps(advanced.moduleBandwidth(gigabitsPerSecond(32))), 256.0, 1e-9);
}

}  // namespace
}  // namespace chipletsim::d2d
