#include "noc/Topology.h"

#include <deque>

namespace chipletsim::noc {

namespace {
PortId port(int p) {
  return PortId(static_cast<std::uint32_t>(p));
}
}  // namespace

Topology::Topology(const NocSpec& spec)
    : m_kind(spec.topology), m_dimX(spec.dimX), m_dimY(spec.dimY) {
  const int n = spec.routers();
  const int d = spec.linkDelayCycles;
  switch (m_kind) {
    case TopologyKind::kMesh:
    case TopologyKind::kTorus: {
      const bool wrap = m_kind == TopologyKind::kTorus;
      m_outLinks.assign(n, std::vector<LinkId>(4));
      m_inLinks.assign(n, std::vector<LinkId>(4));
      for (int yy = 0; yy < m_dimY; ++yy) {
        for (int xx = 0; xx < m_dimX; ++xx) {
          // Each router adds its +x and +y channels; the torus adds the wrap channels too.
          if (xx + 1 < m_dimX || (wrap && m_dimX > 1))
            addChannel(at(xx, yy), port(0), at((xx + 1) % m_dimX, yy), port(1), d);
          if (yy + 1 < m_dimY || (wrap && m_dimY > 1))
            addChannel(at(xx, yy), port(2), at(xx, (yy + 1) % m_dimY), port(3), d);
        }
      }
      break;
    }
    case TopologyKind::kRing:
      m_dimY = 1;
      m_outLinks.assign(n, std::vector<LinkId>(2));
      m_inLinks.assign(n, std::vector<LinkId>(2));
      for (int i = 0; i < n; ++i)
        addChannel(RouterId(i), port(0), RouterId((i + 1) % n), port(1), d);
      break;
    case TopologyKind::kCrossbar:
      m_dimX = 1;
      m_dimY = 1;
      m_outLinks.assign(1, {});
      m_inLinks.assign(1, {});
      break;
    case TopologyKind::kIrregular:
      m_dimX = n;
      m_dimY = 1;
      m_outLinks.assign(n, {});
      m_inLinks.assign(n, {});
      for (const LinkSpec& l : spec.links) {
        const int pa = static_cast<int>(m_outLinks[l.a].size());
        const int pb = static_cast<int>(m_outLinks[l.b].size());
        m_outLinks[l.a].emplace_back();
        m_inLinks[l.a].emplace_back();
        m_outLinks[l.b].emplace_back();
        m_inLinks[l.b].emplace_back();
        addChannel(RouterId(l.a), port(pa), RouterId(l.b), port(pb),
                   l.delayCycles > 0 ? l.delayCycles : d);
      }
      break;
  }
  computeDistances();
}

void Topology::addChannel(RouterId a, PortId pa, RouterId b, PortId pb, int delay) {
  const auto add = [&](RouterId s, PortId sp, RouterId t, PortId tp) {
    const LinkId id(static_cast<std::uint32_t>(m_links.size()));
    m_links.push_back({s, sp, t, tp, delay});
    m_outLinks[s.value()][sp.value()] = id;
    m_inLinks[t.value()][tp.value()] = id;
  };
  add(a, pa, b, pb);
  add(b, pb, a, pa);
}

void Topology::computeDistances() {
  const std::size_t n = m_outLinks.size();
  m_distance.assign(n * n, -1);
  std::deque<std::uint32_t> frontier;
  for (std::size_t s = 0; s < n; ++s) {
    int* dist = &m_distance[s * n];
    dist[s] = 0;
    frontier.assign(1, static_cast<std::uint32_t>(s));
    while (!frontier.empty()) {
      const std::uint32_t u = frontier.front();
      frontier.pop_front();
      for (LinkId l : m_outLinks[u]) {
        if (!l.valid()) continue;
        const std::uint32_t v = m_links[l.value()].dst.value();
        if (dist[v] < 0) {
          dist[v] = dist[u] + 1;
          frontier.push_back(v);
        }
      }
    }
  }
}

bool Topology::connected() const {
  for (int d : m_distance)
    if (d < 0) return false;
  return true;
}

}  // namespace chipletsim::noc
