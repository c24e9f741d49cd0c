#pragma once
// Table-based routing for any connected topology (irregular package networks that join
// chiplet NoCs through D2D links, or regular ones for comparison). Deadlock freedom by
// up*/down*: a breadth-first spanning order from router 0 marks each directed link "up"
// (towards the root) or "down"; a legal path takes zero or more up links, then only down
// links, so the channel dependency graph is acyclic with any number of VCs. Among legal
// paths the table keeps a shortest one (Boost.Graph breadth-first search on the graph of
// (router, phase) states); ties go to the lowest port, so tables are deterministic.

#include <cstdint>
#include <vector>

#include "noc/RoutingFunction.h"
#include "noc/Topology.h"

namespace chipletsim::noc {

class TableRouting : public RoutingFunction {
 public:
  /// Throws SpecError when some router cannot reach another.
  explicit TableRouting(const Topology& topo);
  RouteDecision route(RouterId at, RouterId src, RouterId dest, std::uint8_t state) const override;
  /// Links on the table path from `a` to `b` (>= Topology::distance).
  int pathLength(RouterId a, RouterId b) const;

 private:
  struct Entry {
    std::uint32_t port = 0;
    std::uint8_t phase = 0;
  };
  const Topology& m_topo;
  std::size_t m_n;
  std::vector<Entry> m_table;  // [(router * 2 + phase) * n + dest]
};

}  // namespace chipletsim::noc
