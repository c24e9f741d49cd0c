#include "workload/NocTrafficSource.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/Errors.h"

namespace chipletsim::workload {

NocTrafficSource::NocTrafficSource(const NocTrafficSpec& spec, const NocTrafficPattern& pattern)
    : m_pattern(pattern), m_flits(spec.packetFlits) {
  spec.validate();
  const double p = spec.packetProbability();
  m_invLogQ = p >= 1.0 ? 0.0 : 1.0 / std::log1p(-p);
  const auto n = static_cast<std::uint32_t>(pattern.nodes());
  m_rng.reserve(n);
  for (std::uint32_t i = 0; i < n; ++i) m_rng.push_back(NocRandom::forNode(spec.seed, i));
  m_nextCycle.resize(n);
  for (std::uint32_t i = 0; i < n; ++i) m_nextCycle[i] = gap(i);
  m_cycleStart.resize(kWindow + 1);
}

std::uint64_t NocTrafficSource::gap(std::uint32_t node) {
  return m_rng[node].geometric(m_invLogQ);
}

void NocTrafficSource::generate(std::uint64_t cycle) {
  m_ready.clear();
  m_readPos = 0;
  // Skip cycles in which no node creates anything.
  std::uint64_t begin = std::numeric_limits<std::uint64_t>::max();
  for (std::uint64_t c : m_nextCycle) begin = std::min(begin, c);
  begin = std::max(begin, m_generatedTo);
  if (begin > cycle) {
    m_generatedTo = std::max(m_generatedTo, cycle + 1);
    return;
  }
  const std::uint64_t end = std::min(cycle, begin + kWindow - 1);  // inclusive
  // Node by node (each node's draws stay in its own order), then a stable counting sort on
  // the cycle, which leaves each cycle's packets in node order.
  m_scratch.clear();
  std::fill(m_cycleStart.begin(), m_cycleStart.end(), 0);
  for (std::uint32_t node = 0; node < m_nextCycle.size(); ++node) {
    std::uint64_t& next = m_nextCycle[node];
    while (next <= end) {
      noc::NocPacket p;
      p.source = noc::EndpointId(node);
      p.destination = noc::EndpointId(m_pattern.destination(node, m_rng[node]));
      p.flits = m_flits;
      p.createCycle = next;
      m_scratch.push_back(p);
      ++m_cycleStart[next - begin + 1];
      next += 1 + gap(node);
    }
  }
  for (std::size_t c = 1; c < m_cycleStart.size(); ++c) m_cycleStart[c] += m_cycleStart[c - 1];
  m_ready.resize(m_scratch.size());
  for (const noc::NocPacket& p : m_scratch) m_ready[m_cycleStart[p.createCycle - begin]++] = p;
  for (noc::NocPacket& p : m_ready) p.id = m_created++;
  m_generatedTo = end + 1;
}

bool NocTrafficSource::next(std::uint64_t cycle, noc::NocPacket& out) {
  while (m_readPos == m_ready.size()) {
    if (m_generatedTo > cycle) return false;
    generate(cycle);
  }
  if (m_ready[m_readPos].createCycle > cycle) return false;
  out = m_ready[m_readPos++];
  return true;
}

}  // namespace chipletsim::workload
