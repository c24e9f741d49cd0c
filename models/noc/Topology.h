#pragma once
// The router graph of a NoC: routers, their network ports and the directed links between
// them. Plain C++; built once from a NocSpec. Each bidirectional channel is two directed
// links. Mesh and torus routers have 4 network ports (0 +x, 1 -x, 2 +y, 3 -y; unconnected
// at mesh edges), ring routers 2 (0 clockwise +1, 1 counter-clockwise -1), crossbar none,
// irregular routers one per incident link in the order the links are listed.

#include <vector>

#include "noc/NocIds.h"
#include "noc/NocSpec.h"

namespace chipletsim::noc {

/// One directed link: leaves `src` on output port `srcPort`, enters `dst` on input port
/// `dstPort` after `delayCycles` cycles.
struct TopoLink {
  RouterId src;
  PortId srcPort;
  RouterId dst;
  PortId dstPort;
  int delayCycles = 1;
};

class Topology {
 public:
  /// `spec` must be valid (NocSpec::validate()).
  explicit Topology(const NocSpec& spec);

  TopologyKind kind() const { return m_kind; }
  int dimX() const { return m_dimX; }
  int dimY() const { return m_dimY; }
  int routerCount() const { return static_cast<int>(m_outLinks.size()); }
  int linkCount() const { return static_cast<int>(m_links.size()); }

  /// Network port slots of router `r` (connected or not).
  int networkPorts(RouterId r) const { return static_cast<int>(m_outLinks[r.value()].size()); }
  /// The link leaving `r` on port `p`, invalid when the port is unconnected.
  LinkId outLink(RouterId r, PortId p) const { return m_outLinks[r.value()][p.value()]; }
  /// The link entering `r` on port `p`, invalid when the port is unconnected.
  LinkId inLink(RouterId r, PortId p) const { return m_inLinks[r.value()][p.value()]; }
  const TopoLink& link(LinkId l) const { return m_links[l.value()]; }

  /// Grid coordinates (mesh, torus; ring: x is the position, y is 0).
  int x(RouterId r) const { return static_cast<int>(r.value()) % m_dimX; }
  int y(RouterId r) const { return static_cast<int>(r.value()) / m_dimX; }
  RouterId at(int x, int y) const { return RouterId(static_cast<std::uint32_t>(y * m_dimX + x)); }

  /// Fewest links on any path from `a` to `b` (-1 when unreachable).
  int distance(RouterId a, RouterId b) const {
    return m_distance[a.value() * m_outLinks.size() + b.value()];
  }
  /// True when every router can reach every other.
  bool connected() const;

 private:
  void addChannel(RouterId a, PortId pa, RouterId b, PortId pb, int delay);
  void computeDistances();

  TopologyKind m_kind;
  int m_dimX;
  int m_dimY;
  std::vector<TopoLink> m_links;
  std::vector<std::vector<LinkId>> m_outLinks;
  std::vector<std::vector<LinkId>> m_inLinks;
  std::vector<int> m_distance;
};

}  // namespace chipletsim::noc
