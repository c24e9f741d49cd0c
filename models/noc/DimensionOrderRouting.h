#pragma once
// Dimension-order (X then Y) minimal routing for mesh, torus and ring. Deadlock freedom:
// on a mesh, DOR's channel dependencies are acyclic. On torus and ring each dimension is a
// ring of channels, broken by a dateline on its wrap-around channel: a packet uses VC class
// 0 until it takes the wrap channel and class 1 from then on within that dimension (Dally &
// Towles, formulas.md 6.1). Ties between the two directions of a ring (distance k/2) go
// clockwise from even source coordinates and counter-clockwise from odd ones, which keeps
// uniform traffic exactly balanced (the 8/k torus bound) when k is a multiple of 4; for
// other even k the busiest channel carries slightly more (k = 10: bound 0.77, not 0.8).

#include "noc/RoutingFunction.h"
#include "noc/Topology.h"

namespace chipletsim::noc {

class DimensionOrderRouting : public RoutingFunction {
 public:
  explicit DimensionOrderRouting(const Topology& topo);
  RouteDecision route(RouterId at, RouterId src, RouterId dest, std::uint8_t state) const override;

 private:
  /// Port and class for one dimension: coordinate `c` now, `s` at entry, `t` target.
  RouteDecision step(int c, int s, int t, int k, int plusPort, int minusPort) const;

  const Topology& m_topo;
  bool m_wrap;
};

}  // namespace chipletsim::noc
