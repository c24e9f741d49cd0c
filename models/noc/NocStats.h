#pragma once
// Counters both NoC fidelities keep, in cycles and flits; NocFabric::reportStats turns them
// into the stats tree with units (cycles, ns, flits/node/cycle, utilisation fractions).

#include <cstdint>
#include <vector>

#include "common/Distribution.h"
#include "noc/NocPacket.h"

namespace chipletsim::noc {

struct NocStats {
  std::uint64_t packetsOffered = 0;
  std::uint64_t flitsOffered = 0;
  std::uint64_t packetsDelivered = 0;
  std::uint64_t flitsDelivered = 0;
  Distribution latencyCycles;               // creation to tail delivery, per packet
  Distribution hops;                        // links traversed, per packet
  std::vector<std::uint64_t> linkFlits;     // flits sent on each directed link (LinkId)
  std::vector<std::uint64_t> routerStalls;  // flit-cycles a ready flit waited, per router

  void recordOffer(const NocPacket& p) {
    ++packetsOffered;
    flitsOffered += p.flits;
  }
  void recordDelivery(const NocDelivery& d) {
    ++packetsDelivered;
    flitsDelivered += d.packet.flits;
    latencyCycles.add(static_cast<double>(d.latency()));
    hops.add(d.hops);
  }
};

}  // namespace chipletsim::noc
