#pragma once
// Seeded Bernoulli packet injection for every node: in each cycle each node creates a
// packet with probability p = injectionRate / packetFlits, independently. Drawn as
// geometric gaps between a node's packets (the same process at a cost per packet rather
// than per node-cycle). Every node has its own generator (NocRandom: xoshiro256**), seeded
// from the spec's seed and the node index, which also draws the pattern's destinations;
// packets come out in (cycle, node) order, so the stream is identical whichever fabric
// consumes it.
// Packets are generated a window of cycles at a time, node by node, and put in (cycle,
// node) order by a counting sort on the cycle, so a packet costs its two draws and O(1).

#include <cstdint>
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
  /// Cycles generated at once at most (bounds the sort's table).
  static constexpr std::uint64_t kWindow = 256;
  std::uint64_t gap(std::uint32_t node);
  /// Generates the packets of the next window that starts no later than `cycle` into
  /// m_ready, in (cycle, node) order.
  void generate(std::uint64_t cycle);

  const NocTrafficPattern& m_pattern;
  std::uint32_t m_flits;
  std::vector<NocRandom> m_rng;
  double m_invLogQ;                        // 1 / ln(1 - p) for the geometric gaps (0 when p = 1)
  std::vector<std::uint64_t> m_nextCycle;  // per node: creation cycle of its next packet
  std::uint64_t m_generatedTo = 0;         // every packet created before it is generated
  std::vector<noc::NocPacket> m_ready;     // generated, in order; m_readPos is the next
  std::size_t m_readPos = 0;
  std::vector<noc::NocPacket> m_scratch;    // one window, in node order
  std::vector<std::uint32_t> m_cycleStart;  // counting sort: first slot of each cycle
  std::uint64_t m_created = 0;
};

}  // namespace chipletsim::workload
