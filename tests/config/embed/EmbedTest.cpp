// The embedding API (platforms/Embed.h): models from YAML fragments, as an outside virtual
// platform builds them. Each TEST is its own process (the SystemC kernel cannot restart).

#include <gtest/gtest.h>

#include <string>

#include "common/Errors.h"
#include "common/Units.h"
#include "platforms/Embed.h"

namespace chipletsim {
namespace {

std::string configError(const std::string& kind, const std::string& yaml) {
  try {
    decodeInstance(kind, yaml);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(Embed, HbmFragmentTakesThePresetAndItsOverrides) {
  const hbm::HbmSpec s = hbmSpecFromYaml("{preset: hbm3, fidelity: fast, base_address: 4096}");
  // hbm.md 3.1 HBM3: 16 channels x 2 pseudo-channels, 6.4 Gb/s x 1024 pins = 819.2 GB/s.
  EXPECT_EQ(s.pseudoChannels(), 32);
  EXPECT_NEAR(toGBps(s.peakBandwidth()), 819.2, 1e-9);
  EXPECT_EQ(s.fidelity, hbm::Fidelity::kFast);
  EXPECT_EQ(s.baseAddress, 4096u);
}

TEST(Embed, EveryModelKindBuildsAComponentWithItsPorts) {
  auto hbm = decodeInstance("hbm_stack", "{preset: hbm3}")->build("hbm");
  EXPECT_NE(hbm->targetPort("in"), nullptr);
  EXPECT_EQ(hbm->addressSpan("in"), 16ull << 30);  // hbm.md 3.1 HBM3 16 GiB stack
  auto link = decodeInstance("d2d_link", R"({packaging: cowos-s, shoreline: "1 mm",
      data_rate: "32 GT/s", flit_format: 68b, protocol_header: "16 B", channel_length: "2 mm",
      rx_buffer: "16 KiB", bit_error_rate: 1e-15, seed: 1})")
                  ->build("link");
  for (const char* p : {"a_in", "b_in"}) EXPECT_NE(link->targetPort(p), nullptr) << p;
  for (const char* p : {"a_out", "b_out"}) EXPECT_NE(link->initiatorPort(p), nullptr) << p;
  auto sink = decodeInstance("traffic_sink", R"({latency: "10 ns"})")->build("sink");
  EXPECT_NE(sink->targetPort("in"), nullptr);
}

TEST(Embed, NocFragmentGivesTheSpecOfItsEndpoints) {
  const noc::NocSpec s = nocSpecFromYaml(R"({topology: mesh, dim_x: 2, dim_y: 2,
      clock: "2 GHz", flit_size: "32 B", router_pipeline_cycles: 2, link_delay_cycles: 1,
      virtual_channels: 2, buffer_depth_flits: 4,
      endpoints: [{name: cpu, router: 0}, {name: mem, router: 3, address_size: "1 GiB"}]})");
  EXPECT_EQ(s.routers(), 4);
  ASSERT_EQ(s.endpoints.size(), 2u);
  EXPECT_EQ(s.endpoints[1].addressSize, 1ull << 30);
}

TEST(Embed, UnknownKindIsAConfigErrorListingTheKinds) {
  const std::string msg = configError("hbm_stak", "{}");
  EXPECT_NE(msg.find("unknown component kind 'hbm_stak'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("hbm_stack"), std::string::npos) << msg;
}

TEST(Embed, KindKeyDisagreeingWithTheKindAskedForIsAConfigError) {
  const std::string msg = configError("hbm_stack", "{kind: noc, preset: hbm3}");
  EXPECT_NE(msg.find("hbm_stack"), std::string::npos) << msg;
}

TEST(Embed, BadValueInAFragmentNamesItsKey) {
  const std::string msg = configError("hbm_stack", "{preset: hbm3, fidelity: fastest}");
  EXPECT_NE(msg.find("fidelity"), std::string::npos) << msg;
  EXPECT_TRUE(configError("hbm_stack", "[1, 2]").size() > 0) << "a list is not an instance";
}

}  // namespace
}  // namespace chipletsim
