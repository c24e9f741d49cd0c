#pragma once
// A synthetic NoC traffic run: pattern, Bernoulli injection and the measurement windows
// (BookSim-style: warm up, measure, then drain the measured packets under continued load).

#include <cstdint>
#include <vector>

#include "workload/NocTrafficPattern.h"

namespace chipletsim::workload {

struct NocTrafficSpec {
  NocPatternKind pattern = NocPatternKind::kUniformRandom;
  double injectionRate = 0.1;           // offered flits per node per cycle, in (0, packetFlits]
  std::uint32_t packetFlits = 4;        // flits per packet (>= 1)
  std::uint64_t seed = 1;               // seeds every node's generator
  std::vector<std::uint32_t> hotspots;  // hotspot nodes
  double hotspotFraction = 0.0;         // share of packets sent to the hotspots
  std::uint64_t warmupCycles = 1000;    // not measured
  std::uint64_t measureCycles = 5000;   // window for rates and latency samples
  std::uint64_t drainCycles = 20000;    // most cycles to wait for measured packets after it

  /// Bernoulli probability that a node creates a packet in a cycle.
  double packetProbability() const { return injectionRate / packetFlits; }
  /// Throws SpecError on out-of-range values.
  void validate() const;
};

}  // namespace chipletsim::workload
