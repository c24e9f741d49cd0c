#include "noc/TableRouting.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/reverse_graph.hpp>
#include <boost/graph/visitors.hpp>
#include <deque>
#include <limits>

#include "common/Errors.h"
#include "noc/DimensionOrderRouting.h"
#include "noc/NocSpec.h"

namespace chipletsim::noc {

namespace {
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS>;
constexpr int kUnreached = std::numeric_limits<int>::max();
}  // namespace

TableRouting::TableRouting(const Topology& topo)
    : m_topo(topo), m_n(static_cast<std::size_t>(topo.routerCount())) {
  if (!topo.connected()) throw SpecError("noc: table routing needs a connected topology");
  const std::size_t n = m_n;
  // Levels of the breadth-first spanning order from router 0.
  std::vector<int> level(n);
  for (std::size_t r = 0; r < n; ++r) level[r] = topo.distance(RouterId(0), RouterId(r));
  const auto isUp = [&](std::uint32_t u, std::uint32_t v) {
    return level[v] < level[u] || (level[v] == level[u] && v < u);
  };
  // States (router, phase): phase 0 may still go up, phase 1 only goes down.
  Graph g(2 * n);
  for (int l = 0; l < topo.linkCount(); ++l) {
    const TopoLink& link = topo.link(LinkId(l));
    const std::uint32_t u = link.src.value(), v = link.dst.value();
    if (isUp(u, v)) {
      boost::add_edge(2 * u, 2 * v, g);
    } else {
      boost::add_edge(2 * u, 2 * v + 1, g);
      boost::add_edge(2 * u + 1, 2 * v + 1, g);
    }
  }
  const auto reversed = boost::make_reverse_graph(g);
  m_table.assign(2 * n * n, Entry{});
  std::vector<int> dist(2 * n);
  for (std::size_t d = 0; d < n; ++d) {
    // Hops from every state to destination d: BFS on the reversed state graph from both
    // states of d.
    std::fill(dist.begin(), dist.end(), kUnreached);
    dist[2 * d] = 0;
    dist[2 * d + 1] = 0;
    std::vector<std::size_t> sources{2 * d, 2 * d + 1};
    boost::queue<std::size_t> queue;
    std::vector<boost::default_color_type> color(2 * n, boost::white_color);
    boost::breadth_first_search(
        reversed, sources.begin(), sources.end(), queue,
        boost::make_bfs_visitor(boost::record_distances(dist.data(), boost::on_tree_edge())),
        boost::make_iterator_property_map(color.begin(),
                                          boost::get(boost::vertex_index, reversed)));
    for (std::size_t u = 0; u < n; ++u) {
      if (u == d) continue;
      for (std::uint8_t phase = 0; phase < 2; ++phase) {
        Entry best;
        int bestDist = kUnreached;
        for (int p = 0; p < topo.networkPorts(RouterId(u)); ++p) {
          const LinkId l = topo.outLink(RouterId(u), PortId(p));
          if (!l.valid()) continue;
          const std::uint32_t v = topo.link(l).dst.value();
          const bool up = isUp(static_cast<std::uint32_t>(u), v);
          if (up && phase == 1) continue;
          const std::uint8_t next = up ? 0 : 1;
          const int dv = dist[2 * v + next];
          if (dv != kUnreached && dv < bestDist) {
            bestDist = dv;
            best = Entry{static_cast<std::uint32_t>(p), next};
          }
        }
        if (phase == 0 && bestDist == kUnreached)
          throw InternalError("TableRouting: no up*/down* path in a connected topology");
        m_table[(2 * u + phase) * n + d] = best;
      }
    }
  }
}

RouteDecision TableRouting::route(RouterId at, RouterId /*src*/, RouterId dest,
                                  std::uint8_t state) const {
  const Entry& e = m_table[(2 * at.value() + state) * m_n + dest.value()];
  RouteDecision d;
  d.port = PortId(e.port);
  d.state = e.phase;
  return d;
}

int TableRouting::pathLength(RouterId a, RouterId b) const {
  int hops = 0;
  std::uint8_t state = 0;
  for (RouterId at = a; at != b; ++hops) {
    const RouteDecision d = route(at, a, b, state);
    at = m_topo.link(m_topo.outLink(at, d.port)).dst;
    state = d.state;
    if (hops > m_topo.linkCount()) throw InternalError("TableRouting: routing loop");
  }
  return hops;
}

std::unique_ptr<RoutingFunction> makeRouting(const NocSpec& spec, const Topology& topo) {
  if (spec.routing == RoutingKind::kTable) return std::make_unique<TableRouting>(topo);
  return std::make_unique<DimensionOrderRouting>(topo);
}

}  // namespace chipletsim::noc
