#pragma once
// Drives one PseudoChannelController with a closed-loop synthetic access pattern (a fixed
// number of requests outstanding, each completion issuing the next at its done tick) and
// measures what it achieves. Plain C++; used by fast-mode calibration, tests and benches.

#include <cstdint>

#include "hbm/HbmSpec.h"

namespace chipletsim::hbm {

/// A synthetic pattern inside one pseudo-channel.
struct AccessPattern {
  bool sequential = true;     // consecutive addresses (per direction) or uniform random
  double readFraction = 1.0;  // share of requests that read, in [0, 1]
  std::uint32_t requestBytes = 64;
  int outstanding = 64;  // requests in flight (>= 1)
  std::uint64_t requests = 20000;
  std::uint64_t seed = 1;
};

/// What a run achieved. Bandwidth is counted from the first arrival to the last completion.
struct PatternResult {
  double bytes = 0;
  Tick elapsed = 0;
  double bandwidth = 0;   // bytes per second
  double efficiency = 0;  // bandwidth / peak of the pseudo-channel
  double meanLatencyNs = 0;
  std::uint64_t activates = 0;
  std::uint64_t refreshes = 0;
  double rowHitRate = 0;
};

class PatternRunner {
 public:
  /// `spec` must outlive the runner; it is validated.
  explicit PatternRunner(const HbmSpec& spec);
  /// Runs `p` on a fresh controller (pseudo-channel 0).
  PatternResult run(const AccessPattern& p) const;

 private:
  const HbmSpec& m_spec;
};

}  // namespace chipletsim::hbm
