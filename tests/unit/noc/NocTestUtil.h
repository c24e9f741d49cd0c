#pragma once
// Small helpers shared by the NoC unit tests.

#include <gtest/gtest.h>

#include <memory>

#include "noc/FlitFabric.h"
#include "noc/TransactionFabric.h"
#include "workload/NocTrafficDriver.h"

namespace nocTest {

using namespace chipletsim;

inline noc::NocSpec grid(noc::TopologyKind kind, int x, int y, int vcs = 2, int depth = 4) {
  noc::NocSpec s;
  s.topology = kind;
  s.dimX = x;
  s.dimY = y;
  s.virtualChannels = vcs;
  s.bufferDepthFlits = depth;
  return s;
}

inline std::unique_ptr<noc::NocFabric> makeFabric(const noc::NocSpec& s, noc::Fidelity f) {
  if (f == noc::Fidelity::kFlit) return std::make_unique<noc::FlitFabric>(s);
  return std::make_unique<noc::TransactionFabric>(s);
}

inline workload::NocTrafficSpec traffic(workload::NocPatternKind pattern, double rate,
                                        std::uint32_t flits = 4, std::uint64_t seed = 7) {
  workload::NocTrafficSpec t;
  t.pattern = pattern;
  t.injectionRate = rate;
  t.packetFlits = flits;
  t.seed = seed;
  return t;
}

inline workload::NocTrafficResult run(const noc::NocSpec& s, const workload::NocTrafficSpec& t,
                                      noc::Fidelity f = noc::Fidelity::kFlit) {
  auto fabric = makeFabric(s, f);
  workload::NocTrafficDriver driver(*fabric, t);
  return driver.run();
}

/// Sends one packet at a time between every pair of endpoints and checks the latency
/// against T0 = H x tr + (H - 1) x tl + (L - 1), H = routers traversed.
inline void checkZeroLoad(const noc::NocSpec& s, noc::Fidelity f, std::uint32_t flits) {
  auto fabric = makeFabric(s, f);
  noc::NocDelivery got;
  int delivered = 0;
  fabric->onDelivery([&](const noc::NocDelivery& d) {
    got = d;
    ++delivered;
  });
  const auto n = static_cast<std::uint32_t>(fabric->endpoints().size());
  std::uint64_t t = 0;
  for (std::uint32_t a = 0; a < n; ++a)
    for (std::uint32_t b = 0; b < n; ++b) {
      noc::NocPacket p;
      p.id = a * n + b;
      p.source = noc::EndpointId(a);
      p.destination = noc::EndpointId(b);
      p.flits = flits;
      p.createCycle = t;
      fabric->offer(p);
      const int before = delivered;
      while (delivered == before) fabric->advanceTo(t++);
      const int links = fabric->routeLength(p.source, p.destination);
      const std::uint64_t expected =
          static_cast<std::uint64_t>((links + 1) * s.routerDelayCycles + links * s.linkDelayCycles +
                                     static_cast<int>(flits) - 1);
      EXPECT_EQ(got.hops, static_cast<std::uint32_t>(links));
      EXPECT_NEAR(static_cast<double>(got.latency()), static_cast<double>(expected), 1.0)
          << noc::fidelityName(f) << " " << a << "->" << b << " hops " << links;
      EXPECT_EQ(got.latency(), expected) << "exact at zero load";
      t += 10;
    }
}

}  // namespace nocTest
