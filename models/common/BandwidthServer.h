#pragma once
// A resource that serves transfers one after another at a fixed bandwidth, followed by a
// fixed pipeline latency: one direction of a link, a memory channel in fast mode, a NoC link
// in transaction mode. Plain C++, no kernel: the caller owns time. Reservations are served
// in the order they are made (FIFO), which in a SystemC model is simulated-time order.

#include <cstdint>

#include "common/Distribution.h"
#include "common/Units.h"

namespace chipletsim {

class BandwidthServer {
 public:
  struct Grant {
    Tick start = 0;   // first byte enters the server
    Tick done = 0;    // last byte has left the server (server free again)
    Tick arrive = 0;  // last byte has arrived at the far end (done + latency)
  };

  /// `bw` bytes per second (> 0); `latency` ticks added after serialisation.
  BandwidthServer(Bandwidth bw, Tick latency);

  /// Reserves the server for `bytes` offered at tick `now`.
  Grant reserve(Tick now, double bytes);
  /// Tick at which the server is next free.
  Tick freeAt() const { return m_freeAt; }

  Bandwidth bandwidth() const { return m_bw; }
  Tick latency() const { return m_latency; }
  double bytes() const { return m_bytes; }
  std::uint64_t transfers() const { return m_transfers; }
  Tick busyTicks() const { return m_busy; }
  /// Ticks each transfer waited for the server before starting.
  const Distribution& queueDelay() const { return m_queueDelay; }
  /// Busy fraction over [0, horizon].
  double utilisation(Tick horizon) const;

 private:
  Bandwidth m_bw;
  Tick m_latency;
  Tick m_freeAt = 0;
  Tick m_busy = 0;
  double m_bytes = 0.0;
  std::uint64_t m_transfers = 0;
  Distribution m_queueDelay;
};

}  // namespace chipletsim
