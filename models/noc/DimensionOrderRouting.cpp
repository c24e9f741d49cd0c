#include "noc/DimensionOrderRouting.h"

#include "common/Errors.h"

namespace chipletsim::noc {

DimensionOrderRouting::DimensionOrderRouting(const Topology& topo)
    : m_topo(topo),
      m_wrap(topo.kind() == TopologyKind::kTorus || topo.kind() == TopologyKind::kRing) {
  // A crossbar has one router, so route() is never asked for a next hop there.
  require(topo.kind() != TopologyKind::kIrregular,
          "DimensionOrderRouting: needs a mesh, torus, ring or crossbar");
}

RouteDecision DimensionOrderRouting::step(int c, int s, int t, int k, int plusPort,
                                          int minusPort) const {
  RouteDecision d;
  bool plus;
  if (!m_wrap) {
    plus = t > c;
  } else {
    // The direction is fixed at entry to the dimension so the path stays minimal.
    const int dPlus = (t - s + k) % k;
    const int dMinus = k - dPlus;
    plus = dPlus < dMinus || (dPlus == dMinus && s % 2 == 0);
  }
  d.port = PortId(static_cast<std::uint32_t>(plus ? plusPort : minusPort));
  if (m_wrap) {
    // Class 1 on the wrap channel and after it (a minimal path wraps at most once).
    const bool crossed = plus ? (c < s || c == k - 1) : (c > s || c == 0);
    d.vcClass = crossed ? 1 : 0;
  }
  return d;
}

RouteDecision DimensionOrderRouting::route(RouterId at, RouterId src, RouterId dest,
                                           std::uint8_t /*state*/) const {
  const int cx = m_topo.x(at), tx = m_topo.x(dest);
  if (cx != tx) return step(cx, m_topo.x(src), tx, m_topo.dimX(), 0, 1);
  const int cy = m_topo.y(at), ty = m_topo.y(dest);
  require(cy != ty, "DimensionOrderRouting: route() called at the destination");
  return step(cy, m_topo.y(src), ty, m_topo.dimY(), 2, 3);
}

}  // namespace chipletsim::noc
