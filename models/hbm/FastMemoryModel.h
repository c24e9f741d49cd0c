#pragma once
// Fast fidelity: each pseudo-channel is a bandwidth server whose efficiency and pipeline
// latency come from the bank-level controller of the same spec, measured by PatternRunner
// for the access pattern in use (sequential or random, read share, request size) the first
// time that pattern is seen, and cached per spec and pattern for the process. Plain C++.
// Each pseudo-channel books its transfers on a BookingCalendar: in arrival order it is a
// FIFO server; a transfer booked out of arrival order (a temporally decoupled initiator
// running a quantum ahead of another) takes the earliest gap at or after its arrival, so it
// lands where it belongs in time. A transaction finishes when its slowest pseudo-channel
// does.

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/BookingCalendar.h"
#include "common/StatGroup.h"
#include "hbm/AddressMapper.h"
#include "hbm/HbmSpec.h"
#include "hbm/PatternRunner.h"

namespace chipletsim::hbm {

class FastMemoryModel {
 public:
  /// What the bank-level model achieved for one pattern.
  struct Calibration {
    double efficiency = 0;         // saturated bandwidth / peak of a pseudo-channel
    double unloadedLatencyNs = 0;  // one request alone, arrival to last beat
    double refreshBlackoutNs = 0;  // all-bank refresh cost per tREFI for this pattern
    /// Efficiency with k requests in flight at the pseudo-channel, for the k of kDepths
    /// (bank-level parallelism grows with the queue); beyond the last, `efficiency`.
    std::vector<double> efficiencyAtDepth;
    /// Efficiency with `requestsInFlight` (>= 1, fractional) requests at the channel.
    double efficiencyAt(double requestsInFlight) const;
    double rowHitRate = 0;
    std::uint32_t requestBytes = 0;  // per pseudo-channel request size calibrated
  };
  /// The pattern classes the fast model distinguishes.
  struct PatternKey {
    bool sequential;
    int readQuarters;  // read share rounded to quarters, 0..4
    std::uint32_t requestBytes;
    bool operator<(const PatternKey& o) const;
  };

  /// Requests in flight per pseudo-channel at which the calibration measures efficiency.
  static constexpr int kDepths[] = {1, 2, 4, 8, 16, 32};

  explicit FastMemoryModel(const HbmSpec& spec);

  /// Serves [addr, addr + len) (stack-local bytes) arriving at `arrival`; returns the tick
  /// its last byte is done (response leaves the controller).
  Tick serve(Tick arrival, std::uint64_t addr, std::uint64_t len, bool write);
  /// No request arrives before `now` any more (the kernel's time: a decoupled initiator's
  /// annotated arrival is never earlier), so bookings that end by then may be dropped.
  void forgetBefore(Tick now) { m_floor = std::max(m_floor, now); }

  /// Measures (or returns the cached) calibration of `key` for `spec`. Thread-safe.
  static Calibration calibrate(const HbmSpec& spec, const PatternKey& key);

  std::uint64_t bytesRead(int pc) const { return m_pcs[static_cast<std::size_t>(pc)].read; }
  std::uint64_t bytesWritten(int pc) const { return m_pcs[static_cast<std::size_t>(pc)].written; }
  const Distribution& latencyNs() const { return m_latency; }
  void reportPseudoChannel(StatGroup& g, int pc, Tick horizon) const;
  /// The patterns used so far and their calibrations, in key order.
  const std::map<PatternKey, Calibration>& patterns() const { return m_used; }

 private:
  /// One pseudo-channel as a server at its peak rate; a transfer of b bytes occupies it for
  /// b / efficiency bytes' worth of time (the BandwidthServer arithmetic, without
  /// per-transfer histograms: this path runs once per pseudo-channel per transaction).
  struct Pc {
    struct Transfer {
      Tick arrival, done;
      std::uint64_t bytes;
    };
    // In booking order; [first, size) live: those done by the floor are dropped.
    std::vector<Transfer> inFlight;
    std::size_t first = 0;
    // In time order the transfers from inFlight[head] on are those in flight, as in a FIFO:
    // head moves past the front ones done by the latest arrival, and their bytes leave
    // headBytes. An arrival earlier than the latest counts its own from the live ones.
    std::size_t head = 0;
    std::uint64_t headBytes = 0;
    Tick latestArrival = 0;
    BookingCalendar calendar;  // busy intervals, refresh blackouts crossed included
    Tick freeAt = 0;           // end of the latest booking
    Tick firstRefresh = 0;     // start of its first all-bank refresh blackout
    Tick nextRefresh = 0;      // start of the next blackout not behind the latest booking
    Tick busy = 0;
    std::uint64_t transfers = 0;
    double queueDelaySum = 0;  // ticks waited for the server
    Tick queueDelayMax = 0;
    std::uint64_t read = 0, written = 0;
    double activates = 0;  // estimated from the calibrated row-hit rate
  };
  PatternKey classify(std::uint64_t addr, std::uint64_t len, bool write);
  /// Tick at which `service` ticks of work started at `start` finish, stepping over the
  /// all-bank refreshes (`blackout` every tREFI) from `nextRefresh` (the start of the first
  /// blackout not ending at or before `start`, advanced past those crossed); start +
  /// service without all-bank refresh.
  Tick refreshAdjusted(Tick& nextRefresh, Tick start, Tick service, Tick blackout) const;
  /// The start of `p`'s first refresh blackout that ends after `t`.
  Tick refreshNotBehind(const Pc& p, Tick t, Tick blackout) const;

  const HbmSpec& m_spec;
  AddressMapper m_mapper;
  Bandwidth m_pcPeak;
  Tick m_refi;
  std::vector<Pc> m_pcs;
  std::map<PatternKey, Calibration> m_used;
  std::vector<std::uint64_t> m_recentEnds;  // ring of recent transaction end addresses
  std::size_t m_recentHead = 0;
  std::vector<bool> m_history;  // ring of recent directions (true = read)
  std::size_t m_historyHead = 0, m_historyCount = 0, m_historyReads = 0;
  Distribution m_latency;
  Tick m_floor = 0;  // no request arrives before it (forgetBefore)
};

}  // namespace chipletsim::hbm
