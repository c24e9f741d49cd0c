#pragma once
// The complete, typed description of one network-on-chip. Both fidelities (the flit-level
// FlitFabric and the transaction-level TransactionFabric) are built from the same NocSpec,
// which can be filled in C++ without any YAML. All delays are in cycles of `clock`; one
// flit crosses one link per cycle, so a link carries flitSize x clock bytes per second per
// direction.

#include <cstdint>
#include <string>
#include <vector>

#include "common/Units.h"

namespace chipletsim::noc {

enum class TopologyKind {
  kMesh,      // dimX x dimY grid, 4 network ports per router (unconnected at the edges)
  kTorus,     // dimX x dimY grid with wrap-around links
  kRing,      // dimX routers in a bidirectional ring
  kCrossbar,  // one router, every endpoint on its own port (dimX endpoints by default)
  kIrregular  // routerCount routers joined by `links`
};

enum class RoutingKind {
  kDimensionOrder,  // X then Y (mesh, torus with datelines, ring with a dateline)
  kTable            // shortest legal up*/down* paths from a Boost.Graph search
};

/// What sits on an endpoint; used for placement summaries and stats only.
enum class EndpointRole { kGeneric, kCompute, kDma, kMemory, kD2d };

/// One endpoint attached to a router on a local port of its own.
struct EndpointSpec {
  std::string name;  // unique, snake_case ("engine0", "hbm_ctrl3")
  EndpointRole role = EndpointRole::kGeneric;
  std::uint32_t router = 0;  // index of the router it is attached to
  /// Memory behind the endpoint (HBM controller, D2D port) that requests are routed to by
  /// address: [addressBase, addressBase + addressSize) bytes; size 0: not addressable.
  std::uint64_t addressBase = 0;
  std::uint64_t addressSize = 0;
};

/// One bidirectional link of an irregular topology.
struct LinkSpec {
  std::uint32_t a = 0;
  std::uint32_t b = 0;
  int delayCycles = 0;  // 0: the spec's linkDelayCycles (a D2D hop is longer)
};

struct NocSpec {
  static constexpr int kMaxRouters = 4096;       // and at most as many per dimension
  static constexpr int kMaxCycles = 65536;       // router pipeline, link delay
  static constexpr int kMaxBufferSlots = 65536;  // virtual channels x buffer depth, per port

  TopologyKind topology = TopologyKind::kMesh;
  int dimX = 4;                 // mesh/torus columns, ring routers, crossbar endpoints
  int dimY = 4;                 // mesh/torus rows (1 for ring and crossbar)
  int routerCount = 0;          // irregular only
  std::vector<LinkSpec> links;  // irregular only

  Frequency clock = gigahertz(1.0);  // router and link clock
  DataSize flitSize = DataSize(32);  // bytes per flit = link width per cycle
  int routerDelayCycles = 2;         // router pipeline depth (buffer write to switch exit)
  int linkDelayCycles = 1;           // wire delay of one hop
  int virtualChannels = 2;           // per input port
  int bufferDepthFlits = 4;          // per virtual channel
  RoutingKind routing = RoutingKind::kDimensionOrder;

  /// Empty: one generic endpoint per router ("ep<i>" on router i; crossbar: dimX on router 0).
  std::vector<EndpointSpec> endpoints;

  /// Throws SpecError when the spec cannot be built (bad dimensions, too few VCs for the
  /// deadlock-avoidance scheme, endpoints on missing routers, duplicate names, ...).
  void validate() const;
  /// Routers the topology has.
  int routers() const;
  /// The endpoints, with the default placement filled in when `endpoints` is empty.
  std::vector<EndpointSpec> resolvedEndpoints() const;
  /// Clock period in ticks (picoseconds).
  Tick periodTicks() const { return chipletsim::periodTicks(clock); }
  /// Number of VC classes the routing needs for deadlock freedom (2 on torus and ring).
  int vcClasses() const;
};

const char* topologyName(TopologyKind k);
const char* routingName(RoutingKind k);
const char* endpointRoleName(EndpointRole r);

}  // namespace chipletsim::noc
