#pragma once
// Seeded Bernoulli packet injection for every node: in each cycle each node creates a
// packet with probability p = injectionRate / packetFlits, independently. Drawn as
// geometric gaps between a node's packets (the same process at a cost per packet rather
// than per node-cycle). Every node has its own std::mt19937_64, seeded from the spec's
// seed and the node index, which also draws the pattern's destinations; packets come out in
// (cycle, node) order, so the stream is identical whichever fabric consumes it.

#include <cstdint>
#include <queue>
#include <random>
#include <vector>

#include "noc/NocPacket.h"
#include "workload/NocTrafficPattern.h"
#include "workload/NocTrafficSpec.h"

namespace chipletsim::workload {

class NocTrafficSource {
 public:
  /// `pattern.nodes()` nodes; node i is endpoint i.
  NocTrafficSource(const NocTrafficSpec& spec, const NocTrafficPattern& pattern);

  /// The next packet created no later than `cycle`, if any, into `out`.
  bool next(std::uint64_t cycle, noc::NocPacket& out);
  std::uint64_t packetsCreated() const { return m_created; }

 private:
  struct Pending {
    std::uint64_t cycle;
    std::uint32_t node;
    bool operator>(const Pending& o) const {
      return cycle != o.cycle ? cycle > o.cycle : node > o.node;
    }
  };
  std::uint64_t gap(std::uint32_t node);

  const NocTrafficPattern& m_pattern;
  std::uint32_t m_flits;
  std::vector<std::mt19937_64> m_rng;
  std::geometric_distribution<std::uint64_t> m_gap;
  std::priority_queue<Pending, std::vector<Pending>, std::greater<Pending>> m_next;
  std::uint64_t m_created = 0;
};

}  // namespace chipletsim::workload
