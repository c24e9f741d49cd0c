#pragma once
// The routing interface of the NoC. A routing function is deterministic and stateless
// apart from a small per-packet state it hands back (the up*/down* phase): the same packet
// takes the same path in the flit and the transaction fabric.

#include <cstdint>
#include <memory>

#include "noc/NocIds.h"

namespace chipletsim::noc {

class Topology;
struct NocSpec;

/// Where a packet goes next: output network port, VC class on that port, new state.
struct RouteDecision {
  PortId port;
  int vcClass = 0;
  std::uint8_t state = 0;
};

class RoutingFunction {
 public:
  virtual ~RoutingFunction() = default;
  /// Next hop at router `at` (`at` != `dest`) of a packet injected at router `src`, whose
  /// routing state is `state` (0 at injection).
  virtual RouteDecision route(RouterId at, RouterId src, RouterId dest,
                              std::uint8_t state) const = 0;
};

/// The routing function `spec.routing` names, for `topo` (which must outlive it).
std::unique_ptr<RoutingFunction> makeRouting(const NocSpec& spec, const Topology& topo);

}  // namespace chipletsim::noc
