// Topology construction: link counts, port wiring and hop distances of each regular
// topology, from their definitions (Dally & Towles ch. 3).
#include <gtest/gtest.h>

#include <cstdlib>

#include "common/Errors.h"
#include "noc/Topology.h"

using namespace chipletsim;
using namespace chipletsim::noc;

namespace {
NocSpec spec(TopologyKind kind, int x, int y) {
  NocSpec s;
  s.topology = kind;
  s.dimX = x;
  s.dimY = y;
  return s;
}
}  // namespace

TEST(NocTopology, MeshHasTwoDirectedLinksPerNeighbourPair) {
  const Topology t(spec(TopologyKind::kMesh, 4, 3));
  // 3 rows x 3 horizontal pairs + 4 columns x 2 vertical pairs = 17 pairs.
  EXPECT_EQ(t.routerCount(), 12);
  EXPECT_EQ(t.linkCount(), 2 * 17);
  EXPECT_FALSE(t.outLink(t.at(3, 0), PortId(0)).valid()) << "east edge has no +x link";
  EXPECT_FALSE(t.outLink(t.at(0, 0), PortId(3)).valid()) << "south edge has no -y link";
}

TEST(NocTopology, MeshDistanceIsManhattan) {
  const Topology t(spec(TopologyKind::kMesh, 5, 4));
  for (int a = 0; a < t.routerCount(); ++a)
    for (int b = 0; b < t.routerCount(); ++b) {
      const RouterId ra(a), rb(b);
      EXPECT_EQ(t.distance(ra, rb), std::abs(t.x(ra) - t.x(rb)) + std::abs(t.y(ra) - t.y(rb)));
    }
}

TEST(NocTopology, TorusDistanceIsWrappedManhattan) {
  const int k = 6;
  const Topology t(spec(TopologyKind::kTorus, k, k));
  EXPECT_EQ(t.linkCount(), 4 * k * k);
  const auto ring = [&](int d) { return std::min(std::abs(d), k - std::abs(d)); };
  for (int a = 0; a < t.routerCount(); ++a)
    for (int b = 0; b < t.routerCount(); ++b) {
      const RouterId ra(a), rb(b);
      EXPECT_EQ(t.distance(ra, rb), ring(t.x(ra) - t.x(rb)) + ring(t.y(ra) - t.y(rb)));
    }
}

TEST(NocTopology, RingHasDiameterHalfItsSize) {
  const Topology t(spec(TopologyKind::kRing, 16, 1));
  EXPECT_EQ(t.linkCount(), 32);
  int diameter = 0;
  for (int a = 0; a < 16; ++a)
    for (int b = 0; b < 16; ++b)
      diameter = std::max(diameter, t.distance(RouterId(a), RouterId(b)));
  EXPECT_EQ(diameter, 8);
}

TEST(NocTopology, LinksJoinMatchingPorts) {
  for (TopologyKind kind : {TopologyKind::kMesh, TopologyKind::kTorus, TopologyKind::kRing}) {
    const Topology t(spec(kind, 4, 4));
    for (int l = 0; l < t.linkCount(); ++l) {
      const TopoLink& link = t.link(LinkId(l));
      EXPECT_EQ(t.outLink(link.src, link.srcPort), LinkId(l));
      EXPECT_EQ(t.inLink(link.dst, link.dstPort), LinkId(l));
      EXPECT_EQ(t.distance(link.src, link.dst), 1);
    }
  }
}

TEST(NocTopology, CrossbarIsOneRouterWithAPortPerEndpoint) {
  NocSpec s = spec(TopologyKind::kCrossbar, 8, 1);
  s.validate();
  const Topology t(s);
  EXPECT_EQ(t.routerCount(), 1);
  EXPECT_EQ(t.linkCount(), 0);
  EXPECT_EQ(s.resolvedEndpoints().size(), 8u);
}

TEST(NocTopology, IrregularLinksKeepTheirOwnDelay) {
  NocSpec s = spec(TopologyKind::kIrregular, 0, 0);
  s.routing = RoutingKind::kTable;
  s.routerCount = 3;
  s.links = {{0, 1, 0}, {1, 2, 7}};
  s.validate();
  const Topology t(s);
  EXPECT_EQ(t.linkCount(), 4);
  EXPECT_EQ(t.link(t.outLink(RouterId(1), PortId(1))).delayCycles, 7);
  EXPECT_EQ(t.link(t.outLink(RouterId(0), PortId(0))).delayCycles, s.linkDelayCycles);
  EXPECT_EQ(t.distance(RouterId(0), RouterId(2)), 2);
}

TEST(NocTopology, TorusWithOneVirtualChannelIsRejected) {
  NocSpec s = spec(TopologyKind::kTorus, 4, 4);
  s.virtualChannels = 1;
  EXPECT_THROW(s.validate(), SpecError);
}

TEST(NocTopology, EndpointOnMissingRouterIsRejected) {
  NocSpec s = spec(TopologyKind::kMesh, 2, 2);
  s.endpoints = {{"hbm0", EndpointRole::kMemory, 4}};
  EXPECT_THROW(s.validate(), SpecError);
}

TEST(NocTopology, RouterWithMoreThan64PortsIsRejected) {
  NocSpec s = spec(TopologyKind::kCrossbar, 65, 1);
  EXPECT_THROW(s.validate(), SpecError);
  s.dimX = 64;
  EXPECT_NO_THROW(s.validate());
}
