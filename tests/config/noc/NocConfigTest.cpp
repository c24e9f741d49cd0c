// The noc and noc_traffic decoders: shipped bench platforms decode into the specs their
// comments describe (formulas.md 6.1 bounds), and bad input is a ConfigError naming the key.
#include <gtest/gtest.h>

#include <string>

#include "Loading.h"
#include "NocConfig.h"
#include "NocTrafficWorkload.h"
#include "common/Errors.h"
#include "config/Loader.h"
#include "noc/TransactionFabric.h"
#include "workload/NocChannelLoad.h"

using namespace chipletsim;

namespace {

std::string configs() {
  return std::string(CHIPLETSIM_SOURCE_DIR) + "/configs/";
}

const noc::NocSpec& nocOf(const PlatformSpec& p) {
  const noc::NocSpec* s = nocSpecOf(*p.instance("noc")->spec);
  if (!s) throw InternalError("no noc instance");
  return *s;
}

/// Decodes a noc instance given as YAML text; the ConfigError message when it fails.
std::string nocError(const std::string& yaml) {
  try {
    decodeNoc(config::parseYaml(yaml, "<test>"));
  } catch (const ConfigError& e) {
    return e.what();
  } catch (const SpecError& e) {
    return e.what();
  }
  return "";
}

const char* kMesh =
    "topology: mesh\ndim_x: 4\ndim_y: 4\nclock: \"1 GHz\"\nflit_size: \"16 B\"\n"
    "router_pipeline_cycles: 2\nlink_delay_cycles: 1\nvirtual_channels: 2\n"
    "buffer_depth_flits: 4\n";

}  // namespace

TEST(NocBenchPlatforms, UniformBoundsAreFourOverKForMeshAndEightOverKForTorusAndRing) {
  const struct {
    const char* file;
    noc::TopologyKind kind;
    double bound;
  } cases[] = {{"mesh-4x4", noc::TopologyKind::kMesh, 4.0 / 4},
               {"mesh-8x8", noc::TopologyKind::kMesh, 4.0 / 8},
               {"torus-8x8", noc::TopologyKind::kTorus, 8.0 / 8},
               {"ring-16", noc::TopologyKind::kRing, 8.0 / 16}};
  for (const auto& c : cases) {
    const PlatformSpec p = loadPlatform(configs() + "platforms/bench/" + c.file + ".yaml");
    const noc::NocSpec& s = nocOf(p);
    EXPECT_EQ(s.topology, c.kind) << c.file;
    const noc::TransactionFabric f(s);
    const int n = static_cast<int>(f.endpoints().size());
    const workload::NocTrafficPattern uniform(workload::NocPatternKind::kUniformRandom, n, 1);
    EXPECT_NEAR(workload::channelLoadBound(f, uniform), c.bound, 1e-9) << c.file;
    // The buffers cover the credit round trip (router pipeline + 2 link delays).
    EXPECT_GE(s.bufferDepthFlits, s.routerDelayCycles + 2 * s.linkDelayCycles) << c.file;
  }
}

TEST(NocTrafficWorkloads, ShippedPatternsDecodeWithTheirRates) {
  for (const char* name :
       {"uniform-random", "transpose", "bit-complement", "hotspot", "nearest-neighbour"}) {
    const LoadedWorkload w = loadWorkload(configs() + "workloads/traffic/" + name + ".yaml");
    const workload::NocTrafficSpec* t = nocTrafficSpecOf(*w.spec);
    ASSERT_NE(t, nullptr) << name;
    EXPECT_GT(t->injectionRate, 0.0) << name;
    EXPECT_LE(t->packetProbability(), 1.0) << name;
  }
}

TEST(NocDecoder, AcceptsAMinimalMesh) {
  EXPECT_EQ(nocError(kMesh), "");
}

TEST(NocDecoder, UnknownKeyIsAnErrorWithASuggestion) {
  const std::string msg = nocError(std::string(kMesh) + "virtual_channel: 4\n");
  EXPECT_NE(msg.find("virtual_channel"), std::string::npos) << msg;
  EXPECT_NE(msg.find("virtual_channels"), std::string::npos) << "did you mean: " << msg;
}

TEST(NocDecoder, TorusWithOneVirtualChannelIsRejected) {
  std::string yaml = kMesh;
  yaml.replace(yaml.find("mesh"), 4, "torus");
  yaml.replace(yaml.find("virtual_channels: 2"), 19, "virtual_channels: 1");
  EXPECT_NE(nocError(yaml).find("dateline"), std::string::npos) << nocError(yaml);
}

TEST(NocDecoder, UnknownTopologyListsTheValidOnes) {
  std::string yaml = kMesh;
  yaml.replace(yaml.find("mesh"), 4, "hypercube");
  const std::string msg = nocError(yaml);
  EXPECT_NE(msg.find("mesh, torus, ring, crossbar, irregular"), std::string::npos) << msg;
}

TEST(NocDecoder, EndpointOnAMissingRouterNamesTheRouterKey) {
  const std::string msg =
      nocError(std::string(kMesh) + "endpoints:\n  - {name: hbm0, role: memory, router: 16}\n");
  EXPECT_NE(msg.find("endpoints[0].router"), std::string::npos) << msg;
}

TEST(NocTrafficDecoder, RateAbovePacketSizeIsRejected) {
  const auto root =
      config::parseYaml("pattern: uniform_random\ninjection_rate: 5\npacket_flits: 4\n", "<test>");
  EXPECT_THROW(decodeNocTraffic(root), ConfigError);
}

TEST(NocDecoder, SizesBeyondWhatTheFabricsHoldAreRejectedNotAllocated) {
  // 2^31-1 virtual channels or link cycles ended in std::bad_alloc; a 100000 x 4 mesh spent
  // minutes on its n^2 endpoint pairs.
  const std::pair<const char*, const char*> cases[] = {
      {"dim_x: 4", "dim_x: 100000"},
      {"virtual_channels: 2", "virtual_channels: 2147483647"},
      {"buffer_depth_flits: 4", "buffer_depth_flits: 65536"},
      {"link_delay_cycles: 1", "link_delay_cycles: 2147483647"},
      {"router_pipeline_cycles: 2", "router_pipeline_cycles: 65537"}};
  for (const auto& [from, to] : cases) {
    std::string yaml = kMesh;
    ASSERT_NE(yaml.find(from), std::string::npos) << from;
    yaml.replace(yaml.find(from), std::string(from).size(), to);
    const std::string msg = nocError(yaml);
    EXPECT_NE(msg.find("at most"), std::string::npos) << to << ": " << msg;
  }
  std::string atLimit = kMesh;  // 2 x 32768 = 65536 slots, 65536 cycles: still accepted
  atLimit.replace(atLimit.find("buffer_depth_flits: 4"), 21, "buffer_depth_flits: 32768");
  atLimit.replace(atLimit.find("link_delay_cycles: 1"), 20, "link_delay_cycles: 65536");
  EXPECT_EQ(nocError(atLimit), "");
}

TEST(NocDecoder, CrossbarWithMoreEndpointsThanPortsIsRejected) {
  // `ports` only sized the default endpoints: 2 ports with 3 listed endpoints ran as 3.
  const std::string xbar =
      "topology: crossbar\nports: 2\nclock: \"1 GHz\"\nflit_size: \"16 B\"\n"
      "router_pipeline_cycles: 2\nlink_delay_cycles: 1\nvirtual_channels: 2\n"
      "buffer_depth_flits: 4\nendpoints:\n  - {name: a, router: 0}\n  - {name: b, router: 0}\n";
  EXPECT_EQ(nocError(xbar), "");
  const std::string msg = nocError(xbar + "  - {name: c, router: 0}\n");
  EXPECT_NE(msg.find("a crossbar of 2 ports cannot attach 3 endpoints"), std::string::npos) << msg;
}
