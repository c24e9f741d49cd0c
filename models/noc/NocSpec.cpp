#include "noc/NocSpec.h"

#include <set>

#include "common/Errors.h"

namespace chipletsim::noc {

namespace {
void check(bool ok, const std::string& what) {
  if (!ok) throw SpecError("noc: " + what);
}
}  // namespace

int NocSpec::routers() const {
  switch (topology) {
    case TopologyKind::kMesh:
    case TopologyKind::kTorus:
      return dimX * dimY;
    case TopologyKind::kRing:
      return dimX;
    case TopologyKind::kCrossbar:
      return 1;
    case TopologyKind::kIrregular:
      return routerCount;
  }
  return 0;
}

int NocSpec::vcClasses() const {
  // Datelines split each ring of channels into two acyclic halves.
  return (topology == TopologyKind::kTorus || topology == TopologyKind::kRing) ? 2 : 1;
}

std::vector<EndpointSpec> NocSpec::resolvedEndpoints() const {
  if (!endpoints.empty()) return endpoints;
  std::vector<EndpointSpec> out;
  const int n = topology == TopologyKind::kCrossbar ? dimX : routers();
  for (int i = 0; i < n; ++i) {
    EndpointSpec e;
    e.name = "ep" + std::to_string(i);
    e.router = topology == TopologyKind::kCrossbar ? 0u : static_cast<std::uint32_t>(i);
    out.push_back(e);
  }
  return out;
}

void NocSpec::validate() const {
  switch (topology) {
    case TopologyKind::kMesh:
    case TopologyKind::kTorus:
      check(dimX >= 1 && dimY >= 1, "mesh/torus dimensions must be at least 1");
      check(dimX * dimY >= 2, "a mesh or torus needs at least 2 routers");
      break;
    case TopologyKind::kRing:
      check(dimX >= 2, "a ring needs at least 2 routers");
      break;
    case TopologyKind::kCrossbar:
      check(dimX >= 1, "a crossbar needs at least 1 port");
      break;
    case TopologyKind::kIrregular:
      check(routerCount >= 1, "an irregular topology needs routers");
      for (const LinkSpec& l : links) {
        check(l.a < static_cast<std::uint32_t>(routerCount) &&
                  l.b < static_cast<std::uint32_t>(routerCount),
              "link joins a router that does not exist");
        check(l.a != l.b, "a link must join two different routers");
        check(l.delayCycles >= 0, "link delay must not be negative");
      }
      break;
  }
  if (topology != TopologyKind::kIrregular) check(links.empty(), "links are for irregular only");
  // Sizes the fabrics can hold: routes are kept per pair of endpoints (n^2 entries, one
  // endpoint per router by default), flit ports and VCs are 16-bit fields (FlitFabric), and
  // buffers and pipelines are allocated slot by slot. Beyond these the run died of memory or
  // ran for hours instead of saying so.
  check(dimX <= kMaxRouters && dimY <= kMaxRouters && routerCount <= kMaxRouters &&
            routers() <= kMaxRouters,
        "at most " + std::to_string(kMaxRouters) + " routers are supported");
  check(routerDelayCycles <= kMaxCycles && linkDelayCycles <= kMaxCycles,
        "router pipeline and link delay must be at most " + std::to_string(kMaxCycles) + " cycles");
  check(static_cast<std::int64_t>(virtualChannels) * bufferDepthFlits <= kMaxBufferSlots,
        "virtual_channels x buffer_depth_flits must be at most " + std::to_string(kMaxBufferSlots) +
            " flits per input port");
  check(clock.si() > 0.0, "clock must be positive");
  check(flitSize.si() >= 1.0, "flit size must be at least one byte");
  check(routerDelayCycles >= 1, "router pipeline depth must be at least 1 cycle");
  check(linkDelayCycles >= 1, "link delay must be at least 1 cycle");
  check(virtualChannels >= 1, "at least one virtual channel is needed");
  check(bufferDepthFlits >= 1, "buffers must hold at least one flit");
  check(virtualChannels >= vcClasses(), std::string(topologyName(topology)) + " needs at least " +
                                            std::to_string(vcClasses()) +
                                            " virtual channels (dateline classes)");
  check(routing == RoutingKind::kTable || topology != TopologyKind::kIrregular,
        "irregular topologies need table routing");
  const std::vector<EndpointSpec> eps = resolvedEndpoints();
  check(!eps.empty(), "at least one endpoint is needed");
  // A crossbar's size is its port count; listed endpoints beyond it were silently attached.
  check(topology != TopologyKind::kCrossbar || eps.size() <= static_cast<std::size_t>(dimX),
        "a crossbar of " + std::to_string(dimX) + " ports cannot attach " +
            std::to_string(eps.size()) + " endpoints");
  std::set<std::string> names;
  for (const EndpointSpec& e : eps) {
    check(e.router < static_cast<std::uint32_t>(routers()),
          "endpoint '" + e.name + "' is placed on router " + std::to_string(e.router) +
              " which does not exist");
    check(names.insert(e.name).second, "duplicate endpoint name '" + e.name + "'");
    check(e.addressSize == 0 || e.addressBase + e.addressSize > e.addressBase,
          "address range of endpoint '" + e.name + "' wraps around");
  }
  // A router's allocator arbitrates over at most 64 ports (network + endpoint ports).
  std::vector<int> perRouter(static_cast<std::size_t>(routers()), 0);
  for (const EndpointSpec& e : eps) ++perRouter[e.router];
  const int netPorts = topology == TopologyKind::kRing       ? 2
                       : topology == TopologyKind::kCrossbar ? 0
                                                             : 4;
  for (std::size_t r = 0; r < perRouter.size(); ++r) {
    int ports = perRouter[r] + netPorts;
    if (topology == TopologyKind::kIrregular) {
      ports = perRouter[r];
      for (const LinkSpec& l : links) ports += (l.a == r) + (l.b == r);
    }
    check(ports <= 64, "router " + std::to_string(r) + " would have " + std::to_string(ports) +
                           " ports; at most 64 are supported");
  }
  for (std::size_t i = 0; i < eps.size(); ++i)
    for (std::size_t j = i + 1; j < eps.size(); ++j) {
      const EndpointSpec& a = eps[i];
      const EndpointSpec& b = eps[j];
      if (a.addressSize == 0 || b.addressSize == 0) continue;
      check(a.addressBase + a.addressSize <= b.addressBase ||
                b.addressBase + b.addressSize <= a.addressBase,
            "address ranges of endpoints '" + a.name + "' and '" + b.name + "' overlap");
    }
}

const char* topologyName(TopologyKind k) {
  switch (k) {
    case TopologyKind::kMesh:
      return "mesh";
    case TopologyKind::kTorus:
      return "torus";
    case TopologyKind::kRing:
      return "ring";
    case TopologyKind::kCrossbar:
      return "crossbar";
    case TopologyKind::kIrregular:
      return "irregular";
  }
  return "?";
}

const char* routingName(RoutingKind k) {
  return k == RoutingKind::kDimensionOrder ? "dimension_order" : "table";
}

const char* endpointRoleName(EndpointRole r) {
  switch (r) {
    case EndpointRole::kGeneric:
      return "generic";
    case EndpointRole::kCompute:
      return "compute";
    case EndpointRole::kDma:
      return "dma";
    case EndpointRole::kMemory:
      return "memory";
    case EndpointRole::kD2d:
      return "d2d";
  }
  return "?";
}

}  // namespace chipletsim::noc
