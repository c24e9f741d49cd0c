#pragma once
// Credit-based flow control for one direction of a link: the receive buffer at the far end
// holds `capacity` protocol bytes; the sender takes credits before it sends and the receiver
// returns them (with the return latency already added by the caller) once the data has left
// its buffer. Plain C++: releases are scheduled at known ticks, so the earliest tick at which
// a message may start follows without waiting. A message larger than the whole buffer needs
// the whole buffer (it streams through it), never more.

#include <cstdint>
#include <map>
#include <optional>

#include "common/Units.h"

namespace chipletsim::d2d {

class CreditPool {
 public:
  /// `capacity` bytes of receive buffer (> 0).
  explicit CreditPool(std::uint64_t capacity);

  /// Credits a message of `bytes` needs: min(bytes, capacity).
  std::uint64_t need(std::uint64_t bytes) const { return bytes < m_capacity ? bytes : m_capacity; }
  /// Earliest tick >= `now` at which `credits` are free, counting the releases scheduled so
  /// far; nullopt when even all of them are not enough (the caller waits for more releases).
  std::optional<Tick> earliest(Tick now, std::uint64_t credits) const;
  /// Takes `credits` at tick `at`; they must be free then (see earliest()). `now` is the tick
  /// the sender asked, so that the wait (at - now) counts as a credit stall.
  void take(Tick now, Tick at, std::uint64_t credits);
  /// Returns `credits` to the sender at tick `at`.
  void release(Tick at, std::uint64_t credits);

  std::uint64_t capacity() const { return m_capacity; }
  /// Credits free at tick `at` (after the releases due by then).
  std::uint64_t freeAt(Tick at) const;
  std::uint64_t stalls() const { return m_stalls; }
  Tick stallTicks() const { return m_stallTicks; }

 private:
  void settle(Tick at);  // moves releases due by `at` into m_free

  std::uint64_t m_capacity;
  std::uint64_t m_free;
  std::uint64_t m_outstanding = 0;          // taken and not yet released
  std::map<Tick, std::uint64_t> m_pending;  // tick -> credits returned then
  std::uint64_t m_stalls = 0;
  Tick m_stallTicks = 0;
};

}  // namespace chipletsim::d2d
