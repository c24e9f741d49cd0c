#pragma once
// Runs synthetic traffic through a NoC fabric of either fidelity and measures it the way
// BookSim does: packets are created from cycle 0; those created in the measurement window
// [warmup, warmup + measure) are the latency samples; the accepted rate counts flits
// delivered in the window. After the window the sources keep injecting (so the measured
// packets see the same load) until every measured packet is delivered or the drain limit
// is reached (then `unfinished` says how many were not: the network was saturated).

#include <cstdint>

#include "common/Distribution.h"
#include "noc/NocFabric.h"
#include "workload/NocTrafficSpec.h"

namespace chipletsim::workload {

struct NocTrafficResult {
  double offeredRate = 0.0;    // flits/node/cycle created in the window
  double acceptedRate = 0.0;   // flits/node/cycle delivered in the window
  Distribution latencyCycles;  // measured packets, creation to tail delivery
  Distribution hops;           // measured packets, links traversed
  std::uint64_t measuredPackets = 0;
  std::uint64_t unfinished = 0;  // measured packets not delivered by the drain limit
  std::uint64_t cycles = 0;      // cycles simulated in all
  std::uint64_t packets = 0;     // packets offered in all
  std::uint64_t delivered = 0;   // packets delivered in all
};

class NocTrafficDriver {
 public:
  /// Node i is endpoint i of `fabric`; the node grid is the topology's grid when every
  /// router has one endpoint, otherwise a line of endpoints.
  NocTrafficDriver(noc::NocFabric& fabric, const NocTrafficSpec& spec);
  NocTrafficResult run();

 private:
  noc::NocFabric& m_fabric;
  NocTrafficSpec m_spec;
};

}  // namespace chipletsim::workload
