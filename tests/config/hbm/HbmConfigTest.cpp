// The shipped HBM presets decode into valid specs whose derived figures match hbm.md, and
// the hbm_stack decoder rejects bad input with a ConfigError.
#include <gtest/gtest.h>

#include <string>

#include "HbmConfig.h"
#include "common/Errors.h"
#include "config/Loader.h"
#include "hbm/PatternRunner.h"

using namespace chipletsim;

namespace {

hbm::HbmSpec loadPreset(const std::string& name) {
  const std::string path = std::string(CHIPLETSIM_SOURCE_DIR) + "/configs/memory/" + name + ".yaml";
  return decodeHbmSpec(config::loadFile(path));
}

config::Node parse(const std::string& text) {
  return config::parseYaml(text, "<test>");
}

}  // namespace

TEST(HbmPresets, PeakPerStackIsPinRateTimesWidthOverEight) {
  // hbm.md 3.1: HBM2E 3.2 Gb/s x 1024, HBM3 6.4 x 1024, HBM3E 9.8 x 1024, HBM4 8 x 2048.
  const struct {
    const char* name;
    double peakGBps;
  } cases[] = {{"hbm2e", 409.6}, {"hbm3", 819.2}, {"hbm3e", 1254.4}, {"hbm4", 2048.0}};
  for (const auto& c : cases) {
    const hbm::HbmSpec s = loadPreset(c.name);
    EXPECT_NEAR(toGBps(s.peakBandwidth()), c.peakGBps, 1e-9 * c.peakGBps) << c.name;
    EXPECT_EQ(s.accessBytes(), 32u) << c.name;  // hbm.md 3.2: 32 B per PC access
    EXPECT_NO_THROW(s.validate()) << c.name;
  }
}

TEST(HbmPresets, StreamingEfficiencyOfEveryPresetIsBelowOneMinusRefreshShare) {
  for (const char* name : {"hbm2e", "hbm3", "hbm3e", "hbm4"}) {
    const hbm::HbmSpec s = loadPreset(name);
    const hbm::PatternResult r = hbm::PatternRunner(s).run({true, 1.0, 64, 64, 40000, 1});
    const double refresh = s.timing.tRFCab / s.timing.tREFI;
    std::printf("%-6s streaming efficiency %.4f (1 - tRFC/tREFI = %.4f)\n", name, r.efficiency,
                1.0 - refresh);
    // All-bank refresh takes at least tRFC of every tREFI; the rest of the loss (row
    // switches, drain before refresh) is bounded by 5 points on these presets.
    EXPECT_LE(r.efficiency, 1.0 - refresh + 1e-3) << name;
    EXPECT_GE(r.efficiency, 1.0 - refresh - 0.05) << name;
  }
}

// Energy by component (configs/memory/*.yaml, from the DRAMsim3 HBM2 IDD currents): every
// preset has a non-zero energy per activate and per refresh, and a REFab restores every bit
// of its pseudo-channel, so energy per refresh over the pseudo-channel's bits is one figure
// for the presets at the same voltage (HBM3, HBM3E, HBM4 at 1.1 V; rounding: 0.5%).
TEST(HbmPresets, RefreshEnergyIsProportionalToTheBitsOfAPseudoChannel) {
  double perBit = 0;
  for (const char* name : {"hbm2e", "hbm3", "hbm3e", "hbm4"}) {
    const hbm::HbmSpec s = loadPreset(name);
    EXPECT_GT(s.energy.activate.si(), 0.0) << name;
    EXPECT_GT(s.energy.refreshAllBank.si(), 0.0) << name;
    EXPECT_GT(s.energy.read.si(), 0.0) << name;
    EXPECT_GT(s.energy.write.si(), 0.0) << name;
    EXPECT_GT(s.energy.io.si(), 0.0) << name;
    if (std::string(name) == "hbm2e") continue;  // 1.2 V
    const double bits = s.org.capacity.si() * 8.0 / s.pseudoChannels();
    const double v = s.energy.refreshAllBank.si() / bits;
    if (perBit == 0) perBit = v;
    EXPECT_NEAR(v, perBit, 0.005 * perBit) << name;
  }
}

TEST(HbmStackDecoder, InstanceKeysOverridePresetAndFidelityDecodes) {
  config::Node base =
      config::loadFile(std::string(CHIPLETSIM_SOURCE_DIR) + "/configs/memory/hbm3.yaml");
  const config::Node over = parse("fidelity: fast\ncontroller: {page_policy: closed}\n");
  const hbm::HbmSpec s = decodeHbmSpec(config::merge(base, over));
  EXPECT_EQ(s.fidelity, hbm::Fidelity::kFast);
  EXPECT_EQ(s.controller.pagePolicy, hbm::PagePolicy::kClosed);
  EXPECT_EQ(s.controller.queueDepth, 64);
}

TEST(HbmStackDecoder, UnknownKeyAndWrongUnitAreConfigErrors) {
  config::Node base =
      config::loadFile(std::string(CHIPLETSIM_SOURCE_DIR) + "/configs/memory/hbm3.yaml");
  EXPECT_THROW(decodeHbmSpec(config::merge(base, parse("fidelty: fast\n"))), ConfigError);
  EXPECT_THROW(decodeHbmSpec(config::merge(base, parse("timing: {t_rp: \"16 GB\"}\n"))),
               ConfigError);
  EXPECT_THROW(decodeHbmSpec(config::merge(base, parse("fidelity: exact\n"))), ConfigError);
}

TEST(HbmStackDecoder, InconsistentTimingIsRejected) {
  config::Node base =
      config::loadFile(std::string(CHIPLETSIM_SOURCE_DIR) + "/configs/memory/hbm3.yaml");
  EXPECT_THROW(decodeHbmSpec(config::merge(base, parse("timing: {t_rc: \"10 ns\"}\n"))), SpecError);
}

TEST(HbmStackDecoder, BurstShorterThanOneTickIsRejected) {
  // 1e6 Gb/s: a BL8 burst lasts 8e-15 s, below the 1 ps time step (it would take no time).
  config::Node base =
      config::loadFile(std::string(CHIPLETSIM_SOURCE_DIR) + "/configs/memory/hbm3.yaml");
  try {
    decodeHbmSpec(config::merge(base, parse("organisation: {pin_rate: \"1e6 Gb/s\"}\n")));
    ADD_FAILURE() << "no SpecError";
  } catch (const SpecError& e) {
    EXPECT_NE(std::string(e.what()).find("pin rate too high"), std::string::npos) << e.what();
  }
  // 4000 Gb/s: 2 ps, still representable.
  EXPECT_NO_THROW(
      decodeHbmSpec(config::merge(base, parse("organisation: {pin_rate: \"4000 Gb/s\"}\n"))));
}

TEST(HbmStackDecoder, TimingLongerThanTheRefreshWindowIsRejected) {
  // HBM3: tREFI 3.9 us - tRFCab 350 ns leaves 3.55 us between refreshes. A tCCD_S of 1e6 s
  // fits no burst in it: the controller spun through refreshes for ever.
  config::Node base =
      config::loadFile(std::string(CHIPLETSIM_SOURCE_DIR) + "/configs/memory/hbm3.yaml");
  for (const char* t : {"timing: {t_ccd_s: \"1e15 ns\"}\n", "timing: {t_faw: \"3.6 us\"}\n"}) {
    try {
      decodeHbmSpec(config::merge(base, parse(t)));
      ADD_FAILURE() << "no SpecError for " << t;
    } catch (const SpecError& e) {
      EXPECT_NE(std::string(e.what()).find("shorter than the refresh window tREFI - tRFCab "
                                           "(3550 ns)"),
                std::string::npos)
          << e.what();
    }
  }
  EXPECT_NO_THROW(decodeHbmSpec(config::merge(base, parse("timing: {t_faw: \"3.5 us\"}\n"))));
}
