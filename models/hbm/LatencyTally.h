#pragma once
// Per-request latencies in integer ticks, counted in a small direct-mapped table of exact
// values and folded into a Distribution (in ns) only when a slot is needed for another value
// or when the distribution is read. Latencies of a DRAM controller take few distinct values
// (sums of timing parameters), so most samples cost an increment instead of a histogram
// insertion. Deterministic: what is folded, and in which order, depends only on the samples.

#include <array>
#include <cstdint>
#include <limits>

#include "common/Distribution.h"
#include "common/Units.h"

namespace chipletsim::hbm {

class LatencyTally {
 public:
  void add(Tick latency) {
    Slot& s = m_slots[slotOf(latency)];
    if (s.ticks != latency) {
      fold(s);
      s.ticks = latency;
    }
    ++s.count;
  }
  /// Every sample so far, in ns.
  const Distribution& distribution() const {
    for (Slot& s : m_slots) fold(s);
    return m_dist;
  }

 private:
  static constexpr int kBits = 9;
  static constexpr Tick kEmpty = std::numeric_limits<Tick>::max();
  struct Slot {
    Tick ticks = kEmpty;
    std::uint64_t count = 0;
  };
  static std::size_t slotOf(Tick t) {
    return static_cast<std::size_t>((t * 0x9E3779B97F4A7C15ull) >> (64 - kBits));
  }
  void fold(Slot& s) const {
    if (s.count)
      m_dist.add(static_cast<double>(s.ticks) / static_cast<double>(kTicksPerNs), s.count);
    s.count = 0;
  }

  mutable std::array<Slot, std::size_t{1} << kBits> m_slots{};
  mutable Distribution m_dist;
};

}  // namespace chipletsim::hbm
