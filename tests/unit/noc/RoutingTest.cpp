// Routing: dimension order is minimal and X-first; table routing reaches every router; and
// every routing function's channel dependency graph (nodes: link x VC class) is acyclic,
// which is Dally & Seitz's condition for deadlock freedom (formulas.md 6.1: datelines on
// torus and ring). A control case shows the check does find the cycle of a torus routed
// without datelines.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "noc/RoutingFunction.h"
#include "noc/TableRouting.h"
#include "noc/Topology.h"

using namespace chipletsim::noc;

namespace {

NocSpec spec(TopologyKind kind, int x, int y, RoutingKind routing = RoutingKind::kDimensionOrder) {
  NocSpec s;
  s.topology = kind;
  s.dimX = x;
  s.dimY = y;
  s.routing = routing;
  return s;
}

/// Two 2x2 chiplet meshes (routers 0-3 and 4-7) joined by two long D2D links.
NocSpec twoChiplets() {
  NocSpec s = spec(TopologyKind::kIrregular, 0, 0, RoutingKind::kTable);
  s.routerCount = 8;
  s.links = {{0, 1, 0}, {2, 3, 0}, {0, 2, 0}, {1, 3, 0}, {4, 5, 0},
             {6, 7, 0}, {4, 6, 0}, {5, 7, 0}, {1, 4, 8}, {3, 6, 8}};
  return s;
}

struct Step {
  LinkId link;
  int vcClass;
};

std::vector<Step> path(const Topology& t, const RoutingFunction& r, RouterId a, RouterId b) {
  std::vector<Step> out;
  std::uint8_t state = 0;
  for (RouterId at = a; at != b;) {
    const RouteDecision d = r.route(at, a, b, state);
    state = d.state;
    const LinkId l = t.outLink(at, d.port);
    EXPECT_TRUE(l.valid()) << "route uses an unconnected port";
    if (!l.valid() || out.size() > static_cast<std::size_t>(t.linkCount())) return out;
    out.push_back({l, d.vcClass});
    at = t.link(l).dst;
  }
  return out;
}

/// True when the graph of (link, class) -> next (link, class) over all routes has a cycle.
bool dependencyCycle(const Topology& t, const RoutingFunction& r, bool ignoreClasses) {
  std::map<std::pair<std::uint32_t, int>, std::set<std::pair<std::uint32_t, int>>> g;
  for (int a = 0; a < t.routerCount(); ++a)
    for (int b = 0; b < t.routerCount(); ++b) {
      const std::vector<Step> p = path(t, r, RouterId(a), RouterId(b));
      for (std::size_t i = 1; i < p.size(); ++i)
        g[{p[i - 1].link.value(), ignoreClasses ? 0 : p[i - 1].vcClass}].insert(
            {p[i].link.value(), ignoreClasses ? 0 : p[i].vcClass});
    }
  std::map<std::pair<std::uint32_t, int>, int> color;  // 0 new, 1 on stack, 2 done
  std::vector<std::pair<std::pair<std::uint32_t, int>, bool>> stack;
  for (const auto& [start, next] : g) {
    (void)next;
    if (color[start]) continue;
    stack.push_back({start, false});
    while (!stack.empty()) {
      auto [node, expanded] = stack.back();
      stack.pop_back();
      if (expanded) {
        color[node] = 2;
        continue;
      }
      if (color[node] == 2) continue;
      color[node] = 1;
      stack.push_back({node, true});
      for (const auto& m : g[node]) {
        if (color[m] == 1) return true;
        if (color[m] == 0) stack.push_back({m, false});
      }
    }
  }
  return false;
}

}  // namespace

TEST(NocRouting, DimensionOrderOnMeshIsMinimalAndXFirst) {
  const NocSpec s = spec(TopologyKind::kMesh, 5, 4);
  const Topology t(s);
  const auto r = makeRouting(s, t);
  for (int a = 0; a < t.routerCount(); ++a)
    for (int b = 0; b < t.routerCount(); ++b) {
      const std::vector<Step> p = path(t, *r, RouterId(a), RouterId(b));
      EXPECT_EQ(static_cast<int>(p.size()), t.distance(RouterId(a), RouterId(b)));
      bool turned = false;
      for (const Step& st : p) {
        const bool yHop = t.link(st.link).srcPort.value() >= 2;
        EXPECT_FALSE(turned && !yHop) << "an X hop after a Y hop";
        turned = turned || yHop;
      }
    }
}

TEST(NocRouting, DimensionOrderOnTorusAndRingIsMinimal) {
  for (const NocSpec& s : {spec(TopologyKind::kTorus, 6, 5), spec(TopologyKind::kRing, 9, 1)}) {
    const Topology t(s);
    const auto r = makeRouting(s, t);
    for (int a = 0; a < t.routerCount(); ++a)
      for (int b = 0; b < t.routerCount(); ++b)
        EXPECT_EQ(static_cast<int>(path(t, *r, RouterId(a), RouterId(b)).size()),
                  t.distance(RouterId(a), RouterId(b)));
  }
}

TEST(NocRouting, ChannelDependenciesAreAcyclicForEveryTopology) {
  for (const NocSpec& s :
       {spec(TopologyKind::kMesh, 8, 8), spec(TopologyKind::kTorus, 8, 8),
        spec(TopologyKind::kTorus, 5, 3), spec(TopologyKind::kRing, 16, 1),
        spec(TopologyKind::kRing, 7, 1), spec(TopologyKind::kMesh, 4, 4, RoutingKind::kTable),
        spec(TopologyKind::kTorus, 4, 4, RoutingKind::kTable), twoChiplets()}) {
    const Topology t(s);
    const auto r = makeRouting(s, t);
    EXPECT_FALSE(dependencyCycle(t, *r, false))
        << topologyName(s.topology) << " " << routingName(s.routing);
  }
}

TEST(NocRouting, TorusWithoutDatelineClassesHasADependencyCycle) {
  // k = 6: routes of 2 hops start at every x, so the + channels chain around the ring.
  const NocSpec s = spec(TopologyKind::kTorus, 6, 6);
  const Topology t(s);
  const auto r = makeRouting(s, t);
  EXPECT_TRUE(dependencyCycle(t, *r, true));
}

TEST(NocRouting, TableRoutingReachesEveryRouterAcrossChiplets) {
  const NocSpec s = twoChiplets();
  s.validate();
  const Topology t(s);
  const TableRouting r(t);
  for (int a = 0; a < 8; ++a)
    for (int b = 0; b < 8; ++b) {
      const int len = r.pathLength(RouterId(a), RouterId(b));
      EXPECT_GE(len, t.distance(RouterId(a), RouterId(b)));
      EXPECT_LE(len, t.distance(RouterId(a), RouterId(b)) + 2) << a << "->" << b;
    }
  // A router of one chiplet reaches the other chiplet through a D2D link.
  EXPECT_EQ(r.pathLength(RouterId(1), RouterId(4)), 1);
}
