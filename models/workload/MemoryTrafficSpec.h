#pragma once
// Parameters of one memory traffic generator (a TrafficGenerator): what it reads and
// writes, in what size and order, and how many requests it keeps in flight.

#include <cstdint>

namespace chipletsim::workload {

/// stream-read / stream-write: consecutive addresses; copy: a read stream over the first
/// half of the span and a write stream over the second; random-read: uniform random
/// request-aligned addresses, each a read with probability readFraction.
enum class MemoryPattern { kStreamRead, kStreamWrite, kCopy, kRandomRead };
/// How requests are issued: blocking b_transport (LT) or four-phase nb_transport (AT).
enum class TransportStyle { kLooselyTimed, kApproximatelyTimed };

struct MemoryTrafficSpec {
  MemoryPattern pattern = MemoryPattern::kStreamRead;
  TransportStyle style = TransportStyle::kApproximatelyTimed;
  std::uint32_t requestBytes = 64;     // bytes per transaction (> 0)
  int outstanding = 16;                // transactions in flight (>= 1)
  double readFraction = 1.0;           // random-read: share of reads; copy: share of reads
  std::uint64_t totalBytes = 1 << 20;  // bytes to move, rounded up to whole requests
  std::uint64_t baseAddress = 0;       // first byte of the target region
  std::uint64_t span = 1ull << 30;     // bytes of the target region (>= requestBytes)
  std::uint64_t seed = 1;              // random-read address and mix generator seed
};

const char* toString(MemoryPattern p);

}  // namespace chipletsim::workload
