#pragma once
// Per-request latencies in integer ticks, counted in a small direct-mapped table of exact
// values and folded into a Distribution (in ns) only when a slot is needed for another value;
// reading adds the slots to a copy. Latencies of a DRAM controller take few distinct values
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
  /// Every sample so far, in ns. Reading folds nothing in place, so when (or whether) stats
  /// are read mid-run never changes what is reported later.
  Distribution distribution() const {
    Distribution d = m_dist;
    for (const Slot& s : m_slots)
      if (s.count) d.add(nanoseconds(s.ticks), s.count);
    return d;
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
  static double nanoseconds(Tick t) {
    return static_cast<double>(t) / static_cast<double>(kTicksPerNs);
  }
  void fold(Slot& s) {
    if (s.count) m_dist.add(nanoseconds(s.ticks), s.count);
    s.count = 0;
  }

  std::array<Slot, std::size_t{1} << kBits> m_slots{};
  Distribution m_dist;
};

}  // namespace chipletsim::hbm
