#include "workload/NocTrafficSource.h"

#include <string>

#include "common/Errors.h"

namespace chipletsim::workload {

NocTrafficSource::NocTrafficSource(const NocTrafficSpec& spec, const NocTrafficPattern& pattern)
    : m_pattern(pattern), m_flits(spec.packetFlits), m_gap(spec.packetProbability()) {
  spec.validate();
  const auto n = static_cast<std::uint32_t>(pattern.nodes());
  m_rng.reserve(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    std::seed_seq seq{static_cast<std::uint32_t>(spec.seed),
                      static_cast<std::uint32_t>(spec.seed >> 32), i};
    m_rng.emplace_back(seq);
  }
  for (std::uint32_t i = 0; i < n; ++i) m_next.push({gap(i), i});
}

std::uint64_t NocTrafficSource::gap(std::uint32_t node) {
  return m_gap(m_rng[node]);
}

bool NocTrafficSource::next(std::uint64_t cycle, noc::NocPacket& out) {
  if (m_next.empty() || m_next.top().cycle > cycle) return false;
  const Pending p = m_next.top();
  m_next.pop();
  out.id = m_created++;
  out.source = noc::EndpointId(p.node);
  out.destination = noc::EndpointId(m_pattern.destination(p.node, m_rng[p.node]));
  out.flits = m_flits;
  out.createCycle = p.cycle;
  m_next.push({p.cycle + 1 + gap(p.node), p.node});
  return true;
}

}  // namespace chipletsim::workload
