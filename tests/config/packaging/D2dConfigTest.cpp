// Decoding of `d2d_link`: explicit geometry, shoreline on a packaging technology, what
// `validate` prints, and the technology limits a link can break.
#include <gtest/gtest.h>

#include <string>

#include "D2dConfig.h"
#include "Loading.h"
#include "config/Loader.h"

namespace chipletsim {
namespace {

config::Node yaml(const std::string& text) {
  return config::parseYaml(text, "link.yaml");
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

const std::string kCommon =
    "flit_format: 68b\nprotocol_header: 16 B\nrx_buffer: 64 KiB\nbit_error_rate: 1e-15\n";

double row(const Summary& s, const std::string& name) {
  for (const auto& r : s.rows)
    if (r.name == name) return r.value;
  ADD_FAILURE() << "no row " << name;
  return 0.0;
}

// Explicit UCIe-A x64 x 4 modules at 32 GT/s: 1024 GB/s raw per direction, 64/68 of it
// effective; latency = 2 x 1 ns + flight (2 mm, eps_r 3.9) + one 68 B flit at 1024 GB/s.
TEST(D2dConfig, ExplicitLinkDescribesRawEffectiveLatencyAndEnergy) {
  const auto spec =
      decodeD2dLink(yaml(kCommon + "modules: 4\nlanes_per_module: 64\ndata_rate: 32 GT/s\n"
                                   "adapter_phy_latency: 1 ns\nchannel_length: 2 mm\n"
                                   "dielectric_constant: 3.9\nenergy_per_bit: 0.3 pJ/bit\n"));
  Summary s;
  spec->describe(s);
  EXPECT_NEAR(row(s, "raw_bandwidth_per_direction"), 1024e9, 1);
  EXPECT_NEAR(row(s, "effective_bandwidth_per_direction"), 1024e9 * 64 / 68, 1);
  const double flightNs = 2e-3 * std::sqrt(3.9) / 299792458.0 * 1e9;
  EXPECT_NEAR(row(s, "unloaded_latency"), 2.0 + flightNs + 68 / 1024.0, 1e-9);
  EXPECT_NEAR(row(s, "energy_per_bit"), 0.3, 1e-12);
}

// Shoreline on CoWoS-S: 6 mm -> 15 modules; energy, latency and dielectric come from the
// technology; the KPI density follows (1317 GB/s/mm bidir at 32 GT/s, tolerance 0.5).
TEST(D2dConfig, ShorelineOnAPackagingTechnologyDerivesModulesAndDensity) {
  const auto spec =
      decodeD2dLink(yaml(kCommon + "packaging: cowos-s\nshoreline: 6 mm\ndata_rate: 32 GT/s\n"
                                   "channel_length: 1.5 mm\n"));
  Summary s;
  spec->describe(s);
  EXPECT_EQ(row(s, "modules"), 15);
  EXPECT_NEAR(row(s, "raw_bandwidth_per_direction"), 15 * 256e9, 1);
  EXPECT_NEAR(row(s, "energy_per_bit"), 0.3, 1e-12);
  EXPECT_NEAR(row(s, "bandwidth_density_bidir"), 1317.0, 0.5);
}

TEST(D2dConfig, LinkLongerThanItsTechnologysReachIsRejectedAtTheKey) {
  const std::string msg = configErrorOf([&] {
    decodeD2dLink(yaml(kCommon + "packaging: cowos-s\nshoreline: 2 mm\ndata_rate: 16 GT/s\n"
                                 "channel_length: 5 mm\n"));
  });
  EXPECT_NE(msg.find("link.yaml:8:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("exceeds the reach"), std::string::npos) << msg;
}

TEST(D2dConfig, ShorelineBeyondTheDieEdgeIsRejected) {
  const std::string msg = configErrorOf([&] {
    decodeD2dLink(yaml(kCommon + "packaging: organic-substrate\nshoreline: 40 mm\ndie_edge: 33 mm\n"
                                 "data_rate: 16 GT/s\nchannel_length: 10 mm\n"));
  });
  EXPECT_NE(msg.find("more than the die edge"), std::string::npos) << msg;
}

TEST(D2dConfig, DataRateTheTechnologyDoesNotSupportIsRejected) {
  const std::string msg = configErrorOf([&] {
    decodeD2dLink(yaml(kCommon + "packaging: organic-substrate\nmodules: 2\ndata_rate: 40 GT/s\n"
                                 "channel_length: 10 mm\n"));
  });
  EXPECT_NE(msg.find("does not support 40 GT/s"), std::string::npos) << msg;
}

TEST(D2dConfig, LinkOnMonolithicPackagingIsRejected) {
  const std::string msg = configErrorOf([&] {
    decodeD2dLink(yaml(kCommon + "packaging: monolithic\nmodules: 1\ndata_rate: 16 GT/s\n"
                                 "channel_length: 1 mm\n"));
  });
  EXPECT_NE(msg.find("no die-to-die links"), std::string::npos) << msg;
}

TEST(D2dConfig, ShorelineNeedsAPackagingAndExcludesModules) {
  std::string msg = configErrorOf([&] {
    decodeD2dLink(yaml(kCommon + "shoreline: 6 mm\ndata_rate: 16 GT/s\nchannel_length: 1 mm\n"));
  });
  EXPECT_NE(msg.find("needs `packaging:`"), std::string::npos) << msg;
  msg = configErrorOf([&] {
    decodeD2dLink(yaml(kCommon + "packaging: cowos-s\nshoreline: 6 mm\nmodules: 2\n"
                                 "data_rate: 16 GT/s\nchannel_length: 1 mm\n"));
  });
  EXPECT_NE(msg.find("either shoreline or modules"), std::string::npos) << msg;
}

TEST(D2dConfig, UnknownFlitFormatListsTheValidSpellings) {
  const std::string msg = configErrorOf([&] {
    decodeD2dLink(
        yaml("flit_format: 128b\nprotocol_header: 16 B\nrx_buffer: 4 KiB\n"
             "bit_error_rate: 0\npackaging: cowos-s\nmodules: 1\ndata_rate: 16 GT/s\n"
             "channel_length: 1 mm\n"));
  });
  EXPECT_NE(msg.find("raw, 68b, standard_256b, latency_optimised_256b"), std::string::npos) << msg;
}

TEST(D2dConfig, FailuresBeyondRepairAndHalfWidthAreASpecError) {
  EXPECT_THROW(decodeD2dLink(yaml(kCommon + "packaging: cowos-s\nmodules: 1\nfailed_lanes: 40\n"
                                            "data_rate: 16 GT/s\nchannel_length: 1 mm\n")),
               SpecError);
}

}  // namespace
}  // namespace chipletsim

namespace chipletsim {
namespace {

// Lane repair as configured: 5 failed lanes of a UCIe-A module (4 spares) halve its width.
TEST(D2dConfig, FailedLanesBeyondTheSparesHalveTheDescribedBandwidth) {
  const auto spec = decodeD2dLink(yaml(kCommon + "packaging: cowos-s\nmodules: 2\nfailed_lanes: 5\n"
                                                 "data_rate: 32 GT/s\nchannel_length: 1 mm\n"));
  Summary s;
  spec->describe(s);
  EXPECT_EQ(row(s, "lanes_per_module"), 32);
  EXPECT_NEAR(row(s, "raw_bandwidth_per_direction"), 2 * 128e9, 1);
}

// In a platform file, a link the model cannot build is a ConfigError at the instance.
TEST(D2dConfig, UnbuildableLinkInAPlatformIsAConfigErrorAtTheInstance) {
  const config::Node root = config::parseYaml(
      "name: p\ninstances:\n  link:\n    kind: d2d_link\n    packaging: cowos-s\n"
      "    modules: 1\n    failed_lanes: 40\n    data_rate: 32 GT/s\n    channel_length: 1 mm\n"
      "    flit_format: 68b\n    protocol_header: 16 B\n    rx_buffer: 4 KiB\n"
      "    bit_error_rate: 0\n",
      "platform.yaml");
  const std::string msg = configErrorOf([&] { decodePlatform(root, "platform.yaml"); });
  EXPECT_NE(msg.find("platform.yaml:4:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("failed lanes"), std::string::npos) << msg;
}

}  // namespace
TEST(D2dConfig, ProtocolHeaderOfZeroBytesIsRejected) {
  // A read request carries no data: with no header it was an empty message the link threw on
  // in the middle of a run (exit 3).
  std::string common = kCommon;
  common.replace(common.find("16 B"), 4, "0 B");
  const std::string msg = configErrorOf([&] {
    decodeD2dLink(yaml(common + "modules: 4\nlanes_per_module: 64\ndata_rate: 32 GT/s\n"
                                "adapter_phy_latency: 1 ns\nchannel_length: 2 mm\n"));
  });
  EXPECT_NE(msg.find("link.yaml:2:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("key 'protocol_header'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("expected a value >= 1"), std::string::npos) << msg;
}

}  // namespace chipletsim
