// The flit-level fabric against the analytical results of formulas.md 6.1 (Dally & Towles):
// zero-load latency, the channel-load bound on accepted throughput, the effect of virtual
// channels and buffer depth on saturation, and conservation of packets (no loss, no
// duplication, no deadlock).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>
#include <vector>

#include "NocTestUtil.h"
#include "workload/NocChannelLoad.h"

using namespace chipletsim;
using namespace chipletsim::noc;
using workload::NocPatternKind;

TEST(NocFlitFabric, ZeroLoadLatencyEqualsHopsTimesRouterPlusLinkPlusSerialisation) {
  // Buffers cover the credit round trip (tr + 2 tl = 7 cycles), as the formula assumes.
  NocSpec s = nocTest::grid(TopologyKind::kMesh, 4, 4, 2, 8);
  s.routerDelayCycles = 3;
  s.linkDelayCycles = 2;
  nocTest::checkZeroLoad(s, Fidelity::kFlit, 5);
  nocTest::checkZeroLoad(nocTest::grid(TopologyKind::kTorus, 4, 4), Fidelity::kFlit, 1);
  nocTest::checkZeroLoad(nocTest::grid(TopologyKind::kRing, 6, 1), Fidelity::kFlit, 8);
}

TEST(NocFlitFabric, ZeroLoadLatencyAcrossALongD2dLinkAddsItsDelay) {
  // Two routers joined by one 9-cycle link: T0 = 2 tr + 9 + (L - 1).
  NocSpec s = nocTest::grid(TopologyKind::kIrregular, 0, 0);
  s.routing = RoutingKind::kTable;
  s.routerCount = 2;
  s.links = {{0, 1, 9}};
  for (Fidelity f : {Fidelity::kFlit, Fidelity::kTransaction}) {
    auto fabric = nocTest::makeFabric(s, f);
    NocDelivery got;
    fabric->onDelivery([&](const NocDelivery& d) { got = d; });
    NocPacket p;
    p.source = EndpointId(0);
    p.destination = EndpointId(1);
    p.flits = 3;
    p.createCycle = 5;
    fabric->offer(p);
    fabric->advanceTo(100);
    EXPECT_EQ(got.latency(), static_cast<std::uint64_t>(2 * s.routerDelayCycles + 9 + 2))
        << fidelityName(f);
  }
}

TEST(NocFlitFabric, EveryPacketIsDeliveredExactlyOnceWithoutDeadlock) {
  NocSpec chiplets = nocTest::grid(TopologyKind::kIrregular, 0, 0);
  chiplets.routing = RoutingKind::kTable;
  chiplets.routerCount = 8;
  chiplets.links = {{0, 1, 0}, {2, 3, 0}, {0, 2, 0}, {1, 3, 0}, {4, 5, 0},
                    {6, 7, 0}, {4, 6, 0}, {5, 7, 0}, {1, 4, 6}, {3, 6, 6}};
  for (const NocSpec& s : {nocTest::grid(TopologyKind::kMesh, 6, 6, 1, 2),
                           nocTest::grid(TopologyKind::kTorus, 6, 6, 2, 2),
                           nocTest::grid(TopologyKind::kRing, 12, 1, 2, 1),
                           nocTest::grid(TopologyKind::kCrossbar, 8, 1), chiplets}) {
    FlitFabric fabric(s);
    std::map<std::uint64_t, int> seen;
    fabric.onDelivery([&](const NocDelivery& d) { ++seen[d.packet.id]; });
    const auto n = static_cast<std::uint32_t>(fabric.endpoints().size());
    std::mt19937_64 rng(3);
    std::uint64_t offered = 0;
    // Far beyond saturation for 3000 cycles, then drain.
    for (std::uint64_t c = 0; c < 3000; ++c) {
      for (std::uint32_t e = 0; e < n; ++e) {
        if (rng() % 4 != 0) continue;
        NocPacket p;
        p.id = offered++;
        p.source = EndpointId(e);
        p.destination = EndpointId(static_cast<std::uint32_t>(rng() % n));
        p.flits = 1 + static_cast<std::uint32_t>(rng() % 6);
        p.createCycle = c;
        fabric.offer(p);
      }
      fabric.advanceTo(c);
    }
    std::uint64_t c = 3000;
    while (fabric.inFlight() > 0 && c < 3000 + 2000000) fabric.advanceTo(c += 1000);
    EXPECT_EQ(fabric.inFlight(), 0u) << topologyName(s.topology);
    EXPECT_EQ(seen.size(), offered) << topologyName(s.topology);
    for (const auto& [id, count] : seen) ASSERT_EQ(count, 1) << "packet " << id;
  }
}

TEST(NocFlitFabric, UniformChannelLoadBoundIsFourOverKOnMeshAndEightOverKOnTorus) {
  // The bound computed from the fabric's own DOR routes equals formulas.md 6.1's closed
  // form, which checks that routing balances uniform traffic (ties split on the torus).
  // Injection caps both at 1 flit/node/cycle. Ties (distance k/2) split evenly over a ring
  // only when k/2 is even, so the torus is checked for k a multiple of 4.
  for (int k : {4, 8, 12, 16}) {
    const FlitFabric mesh(nocTest::grid(TopologyKind::kMesh, k, k));
    const FlitFabric torus(nocTest::grid(TopologyKind::kTorus, k, k));
    const workload::NocTrafficPattern uniform(NocPatternKind::kUniformRandom, k, k);
    EXPECT_NEAR(workload::channelLoadBound(mesh, uniform), std::min(1.0, 4.0 / k), 1e-9) << k;
    EXPECT_NEAR(workload::channelLoadBound(torus, uniform), std::min(1.0, 8.0 / k), 1e-9) << k;
  }
  // Transpose under XY routing: the last link into column k-1 of row k-1 carries k-1
  // flows, so the bound is 1/(k-1).
  const FlitFabric mesh(nocTest::grid(TopologyKind::kMesh, 8, 8));
  EXPECT_NEAR(workload::channelLoadBound(
                  mesh, workload::NocTrafficPattern(NocPatternKind::kTranspose, 8, 8)),
              1.0 / 7, 1e-9);
}

TEST(NocFlitFabric, MeshAcceptedRateNeverExceedsChannelLoadBound) {
  // k x k mesh, uniform random: at most 4/k flits/node/cycle (formulas.md 6.1).
  for (int k : {4, 8}) {
    const double bound = 4.0 / k;
    for (double offered : {0.8 * bound, 1.2 * bound, 1.0}) {
      const auto r = nocTest::run(nocTest::grid(TopologyKind::kMesh, k, k, 8, 16),
                                  nocTest::traffic(NocPatternKind::kUniformRandom, offered));
      EXPECT_LE(r.acceptedRate, bound) << "k=" << k << " offered " << offered;
    }
  }
}

TEST(NocFlitFabric, TorusAcceptedRateNeverExceedsChannelLoadBound) {
  // k x k torus, uniform random: at most 8/k flits/node/cycle (formulas.md 6.1).
  const int k = 8;
  for (double offered : {0.9, 1.0}) {
    const auto r = nocTest::run(nocTest::grid(TopologyKind::kTorus, k, k, 8, 16),
                                nocTest::traffic(NocPatternKind::kUniformRandom, offered));
    EXPECT_LE(r.acceptedRate, 8.0 / k) << "offered " << offered;
  }
}

TEST(NocFlitFabric, SaturationRisesWithVirtualChannelsAndBufferDepth) {
  // 8x8 mesh, uniform random, offered exactly the 4/k = 0.5 channel-load bound: what the
  // fabric accepts is its saturation throughput. Fewer VCs, or buffers shorter than the
  // credit round trip (tr + 2 tl = 4 cycles), lose throughput to head-of-line blocking and
  // credit stalls (formulas.md 6.1, Dally & Towles); deep buffers approach the bound.
  const int k = 8;
  const double bound = 4.0 / k;
  struct Point {
    int vcs;
    int depth;
    double accepted;
  };
  std::vector<Point> points{{1, 1, 0}, {1, 2, 0}, {1, 4, 0}, {2, 4, 0}, {4, 8, 0}, {8, 16, 0}};
  for (Point& p : points) {
    p.accepted = nocTest::run(nocTest::grid(TopologyKind::kMesh, k, k, p.vcs, p.depth),
                              nocTest::traffic(NocPatternKind::kUniformRandom, bound))
                     .acceptedRate;
    std::printf("vcs %d depth %d: accepted %.4f flits/node/cycle (bound %.3f)\n", p.vcs, p.depth,
                p.accepted, bound);
    EXPECT_LE(p.accepted, bound);
  }
  for (std::size_t i = 1; i < points.size(); ++i)
    EXPECT_GT(points[i].accepted, points[i - 1].accepted)
        << points[i].vcs << " VCs x " << points[i].depth << " flits";
  // Deep buffers: within 20% of the bound (the rest is separable-allocator matching loss).
  EXPECT_GE(points.back().accepted, 0.8 * bound);
}

TEST(NocFlitFabric, SameSeedGivesIdenticalResultsInBothFidelities) {
  // Determinism (DESIGN.md principle 5): the same spec and seed give the same numbers.
  const NocSpec s = nocTest::grid(TopologyKind::kTorus, 4, 4, 2, 4);
  for (Fidelity f : {Fidelity::kFlit, Fidelity::kTransaction}) {
    const auto t = nocTest::traffic(NocPatternKind::kHotspot, 0.2);
    auto hot = t;
    hot.hotspots = {5};
    hot.hotspotFraction = 0.3;
    const auto a = nocTest::run(s, hot, f);
    const auto b = nocTest::run(s, hot, f);
    EXPECT_EQ(a.packets, b.packets);
    EXPECT_EQ(a.delivered, b.delivered);
    EXPECT_EQ(a.acceptedRate, b.acceptedRate);
    EXPECT_EQ(a.latencyCycles.sum(), b.latencyCycles.sum());
    EXPECT_EQ(a.latencyCycles.percentile(0.99), b.latencyCycles.percentile(0.99));
    hot.seed = 99;
    const auto c = nocTest::run(s, hot, f);
    EXPECT_NE(a.latencyCycles.sum(), c.latencyCycles.sum()) << "another seed, other traffic";
  }
}

TEST(NocFlitFabric, LinkFlitCountsAddUpToFlitsTimesHops) {
  // Per-link utilisation stats conserve flits: every delivered packet of L flits over H
  // links adds L to each of H link counters.
  for (Fidelity f : {Fidelity::kFlit, Fidelity::kTransaction}) {
    auto fabric = nocTest::makeFabric(nocTest::grid(TopologyKind::kMesh, 4, 4), f);
    std::uint64_t flitHops = 0;
    const auto t = nocTest::traffic(NocPatternKind::kUniformRandom, 0.3);
    workload::NocTrafficDriver driver(*fabric, t);
    const auto r = driver.run();
    fabric->onDelivery(nullptr);
    fabric->advanceTo(r.cycles + 100000);  // deliver everything still in flight
    ASSERT_EQ(fabric->inFlight(), 0u);
    const NocStats& st = fabric->stats();
    std::uint64_t onLinks = 0;
    for (std::uint64_t v : st.linkFlits) onLinks += v;
    flitHops = static_cast<std::uint64_t>(st.hops.sum()) * t.packetFlits;
    EXPECT_EQ(onLinks, flitHops) << fidelityName(f);
    EXPECT_EQ(st.packetsDelivered, st.packetsOffered);
  }
}
