#include "workload/NocTrafficSource.h"

#include <algorithm>
#include <array>
#include <limits>

#include "common/Errors.h"

namespace chipletsim::workload {

namespace {

/// std::seed_seq's generate() (the algorithm the C++ standard specifies in
/// [rand.util.seedseq]) for three seed words, with the indices into the output kept modulo n
/// by increments rather than divisions; each node's mt19937_64 gets exactly the state a
/// std::seed_seq would give it, at a fraction of the cost (64 engines of 624 words each are
/// seeded per run).
class SeedSequence {
 public:
  using result_type = std::uint32_t;
  SeedSequence(std::uint32_t a, std::uint32_t b, std::uint32_t c) : m_v{a, b, c} {}

  template <class It>
  void generate(It begin, It end) const {
    const auto n = static_cast<std::size_t>(end - begin);
    if (n == 0) return;
    for (It it = begin; it != end; ++it) *it = 0x8b8b8b8bu;
    const std::size_t s = m_v.size();
    const std::size_t t = n >= 623 ? 11 : n >= 68 ? 7 : n >= 39 ? 5 : n >= 7 ? 3 : (n - 1) / 2;
    const std::size_t p = (n - t) / 2;
    const std::size_t q = p + t;
    const std::size_t m = std::max(s + 1, n);
    const auto mix = [](std::uint32_t x) { return x ^ (x >> 27); };
    auto at = [&](std::size_t i) -> std::uint32_t& {
      return *(begin + static_cast<std::ptrdiff_t>(i));
    };
    std::size_t k0 = 0, kp = p % n, kq = q % n, km = n - 1;  // k, k + p, k + q, k - 1 (mod n)
    const auto step = [n](std::size_t& i) { i = i + 1 == n ? 0 : i + 1; };
    for (std::size_t k = 0; k < m; ++k) {
      const std::uint32_t r1 = 1664525u * mix(at(k0) ^ at(kp) ^ at(km));
      std::uint32_t r2 = r1;
      if (k == 0)
        r2 += static_cast<std::uint32_t>(s);
      else if (k <= s)
        r2 += static_cast<std::uint32_t>(k0) + m_v[k - 1];
      else
        r2 += static_cast<std::uint32_t>(k0);
      at(kp) += r1;
      at(kq) += r2;
      at(k0) = r2;
      step(k0), step(kp), step(kq), step(km);
    }
    for (std::size_t k = m; k < m + n; ++k) {
      const std::uint32_t r3 = 1566083941u * mix(at(k0) + at(kp) + at(km));
      const std::uint32_t r4 = r3 - static_cast<std::uint32_t>(k0);
      at(kp) ^= r3;
      at(kq) ^= r4;
      at(k0) = r4;
      step(k0), step(kp), step(kq), step(km);
    }
  }

 private:
  std::array<std::uint32_t, 3> m_v;
};

}  // namespace

NocTrafficSource::NocTrafficSource(const NocTrafficSpec& spec, const NocTrafficPattern& pattern)
    : m_pattern(pattern), m_flits(spec.packetFlits), m_gap(spec.packetProbability()) {
  spec.validate();
  const auto n = static_cast<std::uint32_t>(pattern.nodes());
  m_rng.reserve(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    SeedSequence seq(static_cast<std::uint32_t>(spec.seed),
                     static_cast<std::uint32_t>(spec.seed >> 32), i);
    m_rng.emplace_back(seq);
  }
  m_nextCycle.resize(n);
  for (std::uint32_t i = 0; i < n; ++i) m_nextCycle[i] = gap(i);
  m_cycleStart.resize(kWindow + 1);
}

std::uint64_t NocTrafficSource::gap(std::uint32_t node) {
  return m_gap(m_rng[node]);
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
